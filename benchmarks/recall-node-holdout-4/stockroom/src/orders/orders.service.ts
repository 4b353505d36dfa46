import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { CreateOrderDto, ListOrdersDto, ShipOrderDto } from './dto/order.dto';
import { AuthUser } from '../common/decorators/current-user.decorator';
import { CarrierClient } from '../shipping/carrier.client';

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectRepository(OrderLine) private readonly lines: Repository<OrderLine>,
    private readonly carrier: CarrierClient,
  ) {}

  async create(user: AuthUser, dto: CreateOrderDto): Promise<Order> {
    const existing = await this.orders.findOne({
      where: { tenantId: user.tenantId, externalRef: dto.externalRef },
      relations: { lines: true },
    });
    if (existing) {
      // Storefront retries on timeouts; same externalRef returns the same order.
      return existing;
    }
    const order = this.orders.create({
      tenantId: user.tenantId,
      externalRef: dto.externalRef,
      warehouseId: dto.warehouseId,
      shipToName: dto.shipToName,
      shipToAddress: dto.shipToAddress,
      customerNote: dto.customerNote ?? null,
      lines: dto.lines.map((l) => this.lines.create({ itemId: l.itemId, quantity: l.quantity })),
    });
    return this.orders.save(order);
  }

  async list(user: AuthUser, dto: ListOrdersDto) {
    const qb = this.orders
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.lines', 'line')
      .where('o.tenantId = :tenantId', { tenantId: user.tenantId });
    if (dto.status) qb.andWhere('o.status = :status', { status: dto.status });
    if (dto.warehouseId) qb.andWhere('o.warehouseId = :wh', { wh: dto.warehouseId });
    const [items, total] = await qb
      .orderBy('o.createdAt', 'DESC')
      .skip(dto.skip)
      .take(dto.pageSize)
      .getManyAndCount();
    return { items, total, page: dto.page, pageSize: dto.pageSize };
  }

  async get(user: AuthUser, id: string): Promise<Order> {
    const order = await this.orders.findOne({
      where: { id },
      relations: { lines: { item: true } },
    });
    if (!order) throw new NotFoundException('Order not found');
    return order;
  }

  private async getScoped(user: AuthUser, id: string): Promise<Order> {
    const order = await this.orders.findOne({
      where: { id, tenantId: user.tenantId },
      relations: { lines: { item: true } },
    });
    if (!order) throw new NotFoundException('Order not found');
    return order;
  }

  async packingSlip(user: AuthUser, id: string): Promise<Order> {
    return this.getScoped(user, id);
  }

  async cancel(user: AuthUser, id: string): Promise<Order> {
    const result = await this.orders
      .createQueryBuilder()
      .update(Order)
      .set({ status: 'cancelled' })
      .where('id = :id AND tenant_id = :tenantId AND status IN (:...statuses)', {
        id,
        tenantId: user.tenantId,
        statuses: ['open', 'allocated'],
      })
      .execute();
    if (!result.affected) throw new ConflictException('Order cannot be cancelled in its current state');
    return this.getScoped(user, id);
  }

  async ship(user: AuthUser, id: string, dto: ShipOrderDto): Promise<Order> {
    const order = await this.getScoped(user, id);
    const claimed = await this.orders.update({ id, tenantId: user.tenantId, status: 'packed' }, { status: 'shipped' });
    if (!claimed.affected) {
      throw new ConflictException('Order must be packed before shipping');
    }
    try {
      const label = await this.carrier.purchaseLabel({
        reference: order.externalRef,
        service: dto.service,
        weightGrams: dto.weightGrams,
        shipTo: { name: order.shipToName, ...order.shipToAddress },
      });
      await this.orders.update(order.id, { trackingNumber: label.trackingNumber, labelUrl: label.labelUrl });
    } catch (err) {
      await this.orders.update({ id: order.id, status: 'shipped' }, { status: 'packed' });
      throw err;
    }
    return this.getScoped(user, id);
  }
}
