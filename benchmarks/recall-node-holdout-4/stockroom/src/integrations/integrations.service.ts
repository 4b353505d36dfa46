import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StockMovement } from '../stock/stock-movement.entity';
import { Order } from '../orders/order.entity';
import { Item } from '../items/item.entity';
import { Warehouse } from '../stock/warehouse.entity';

interface GoodsReceiptEvent {
  eventId: string;
  tenantId: string;
  warehouseCode: string;
  poNumber: string;
  lines: Array<{ sku: string; quantity: number }>;
}

interface TrackingEvent {
  eventId: string;
  trackingNumber: string;
  status: string;
}

@Injectable()
export class IntegrationsService {
  private readonly logger = new Logger(IntegrationsService.name);

  constructor(private readonly dataSource: DataSource) {}

  async applyGoodsReceipt(event: GoodsReceiptEvent) {
    if (!event?.eventId || !Array.isArray(event.lines) || event.lines.length > 1000) {
      throw new BadRequestException('Malformed goods receipt');
    }
    return this.dataSource.transaction(async (manager) => {
      const warehouse = await manager.findOneOrFail(Warehouse, {
        where: { tenantId: event.tenantId, code: event.warehouseCode },
      });
      const items = await manager
        .createQueryBuilder(Item, 'item')
        .where('item.tenantId = :tenantId', { tenantId: event.tenantId })
        .andWhere('item.sku IN (:...skus)', { skus: event.lines.map((l) => l.sku) })
        .getMany();
      const bySku = new Map(items.map((i) => [i.sku, i]));

      const qtyByItem = new Map<string, number>();
      for (const line of event.lines) {
        const item = bySku.get(line.sku);
        if (!item || !Number.isInteger(line.quantity) || line.quantity <= 0) {
          this.logger.warn(`goods receipt ${event.poNumber}: skipping line ${line.sku}`);
          continue;
        }
        qtyByItem.set(item.id, (qtyByItem.get(item.id) ?? 0) + line.quantity);
      }
      if (qtyByItem.size === 0) {
        return { eventId: event.eventId, applied: 0 };
      }

      await manager.query(
        `INSERT INTO stock_levels (id, tenant_id, warehouse_id, item_id, on_hand, reserved, version, updated_at)
         SELECT gen_random_uuid(), $1, $2, x.item_id, x.qty, 0, 1, now()
           FROM unnest($3::uuid[], $4::int[]) AS x(item_id, qty)
         ON CONFLICT (warehouse_id, item_id)
         DO UPDATE SET on_hand = stock_levels.on_hand + EXCLUDED.on_hand, updated_at = now()`,
        [event.tenantId, warehouse.id, [...qtyByItem.keys()], [...qtyByItem.values()]],
      );
      await manager.insert(
        StockMovement,
        [...qtyByItem.entries()].map(([itemId, quantity]) => ({
          tenantId: event.tenantId,
          warehouseId: warehouse.id,
          itemId,
          kind: 'receipt' as const,
          quantity,
          reference: event.poNumber,
        })),
      );
      return { eventId: event.eventId, applied: qtyByItem.size };
    });
  }

  async applyTrackingUpdate(event: TrackingEvent) {
    if (!event?.eventId || !event.trackingNumber) {
      throw new BadRequestException('Malformed tracking event');
    }
    return this.dataSource.transaction(async (manager) => {
      const inserted: Array<{ event_id: string }> = await manager.query(
        `INSERT INTO processed_events (event_id, source, processed_at)
         VALUES ($1, 'carrier', now())
         ON CONFLICT DO NOTHING
         RETURNING event_id`,
        [event.eventId],
      );
      if (inserted.length === 0) {
        return { duplicate: true };
      }
      if (event.status === 'delivered') {
        await manager.update(Order, { trackingNumber: event.trackingNumber, status: 'shipped' }, { status: 'delivered' });
      }
      return { duplicate: false };
    });
  }
}
