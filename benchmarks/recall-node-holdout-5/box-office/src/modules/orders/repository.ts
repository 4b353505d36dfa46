import { Knex } from 'knex';

export interface OrderRow {
  id: string;
  reference: string;
  user_id: string;
  event_id: string;
  status: 'pending' | 'paid' | 'refunded' | 'expired';
  subtotal_cents: number;
  fee_cents: number;
  total_cents: number;
  currency: string;
  payment_intent_id: string | null;
  idempotency_key: string | null;
  created_at: Date;
}

export interface OrderItemRow {
  id: string;
  order_id: string;
  ticket_type_id: string;
  quantity: number;
  unit_price_cents: number;
}

export class OrdersRepository {
  constructor(private readonly db: Knex) {}

  findForUser(orderId: string, userId: string): Promise<OrderRow | undefined> {
    return this.db<OrderRow>('orders').where({ id: orderId, user_id: userId }).first();
  }

  findByIdempotencyKey(userId: string, key: string): Promise<OrderRow | undefined> {
    return this.db<OrderRow>('orders').where({ user_id: userId, idempotency_key: key }).first();
  }

  items(orderId: string): Promise<OrderItemRow[]> {
    return this.db<OrderItemRow>('order_items').where({ order_id: orderId });
  }

  async listForUser(userId: string, limit: number, before?: string) {
    const orders = await this.db<OrderRow>('orders')
      .where({ user_id: userId })
      .modify((q) => {
        if (before) {
          q.where('created_at', '<', before);
        }
      })
      .orderBy('created_at', 'desc')
      .limit(limit);
    const result = [];
    for (const order of orders) {
      const items = await this.items(order.id);
      const event = await this.db('events').select('id', 'title', 'starts_at').where({ id: order.event_id }).first();
      result.push({ ...order, items, event });
    }
    return result;
  }
}
