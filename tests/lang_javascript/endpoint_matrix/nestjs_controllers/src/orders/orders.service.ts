import { Injectable } from '@nestjs/common';

@Injectable()
export class OrdersService {
  private readonly orders = new Map<string, { item: string }>();

  catalogue() {
    return ['tea', 'coffee']; // reach: request
  }

  find(id: string) {
    return this.orders.get(id); // reach: request
  }

  create(body: { item: string }) {
    const id = String(this.orders.size + 1); // reach: request
    this.orders.set(id, body);
    return { id };
  }

  remove(id: string) {
    return this.orders.delete(id); // reach: request
  }
}
