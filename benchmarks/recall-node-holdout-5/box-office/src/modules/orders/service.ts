import { Knex } from 'knex';
import { config } from '../../config';
import { payments } from '../../clients/payments';
import { newBarcode, newOrderReference } from '../../lib/tokens';
import { HttpError } from '../../plugins/errors';
import { EventsRepository, TicketTypeRow } from '../events/repository';
import { InventoryService } from './inventory';
import { OrderRow, OrdersRepository } from './repository';

export interface OrderRequest {
  eventId: string;
  items: Array<{ ticketTypeId: string; quantity: number }>;
  promoCode?: string;
}

export class OrdersService {
  private readonly events: EventsRepository;
  private readonly inventory: InventoryService;
  readonly repo: OrdersRepository;

  constructor(private readonly db: Knex) {
    this.events = new EventsRepository(db);
    this.inventory = new InventoryService(db);
    this.repo = new OrdersRepository(db);
  }

  priceOrder(lines: Array<{ tt: TicketTypeRow; quantity: number }>, feeBps: number, percentOff = 0) {
    let subtotal = 0;
    for (const { tt, quantity } of lines) {
      subtotal += Number(tt.price) * quantity;
    }
    subtotal = subtotal * (1 - percentOff / 100);
    const fee = subtotal * (feeBps / 10_000) + config.fixedFeeCents / 100;
    return {
      subtotalCents: Math.round(subtotal * 100),
      feeCents: Math.round(fee * 100),
      totalCents: Math.round((subtotal + fee) * 100),
    };
  }

  async createOrder(userId: string, input: OrderRequest, idempotencyKey: string): Promise<OrderRow> {
    const existing = await this.repo.findByIdempotencyKey(userId, idempotencyKey);
    if (existing) {
      return existing;
    }
    const event = await this.events.findById(input.eventId);
    if (!event || event.status !== 'published' || event.starts_at < new Date()) {
      throw new HttpError(404, 'Event not on sale', 'not_found');
    }

    const lines: Array<{ tt: TicketTypeRow; quantity: number }> = [];
    for (const item of input.items) {
      const tt = await this.inventory.reserve(item.ticketTypeId, item.quantity);
      if (tt.event_id !== event.id) {
        await this.inventory.release(this.db, tt.id, item.quantity);
        throw new HttpError(400, 'Ticket type does not belong to event', 'bad_request');
      }
      lines.push({ tt, quantity: item.quantity });
    }

    const promo = input.promoCode ? await this.inventory.redeemPromo(this.db, event.id, input.promoCode) : null;
    const price = this.priceOrder(lines, event.fee_bps ?? config.platformFeeBps, promo?.percent_off ?? 0);

    const [order]: OrderRow[] = await this.db('orders')
      .insert({
        reference: newOrderReference(),
        user_id: userId,
        event_id: event.id,
        status: 'pending',
        subtotal_cents: price.subtotalCents,
        fee_cents: price.feeCents,
        total_cents: price.totalCents,
        currency: 'EUR',
        idempotency_key: idempotencyKey,
        promo_code_id: promo?.id ?? null,
        expires_at: new Date(Date.now() + config.holdMinutes * 60_000),
      })
      .returning('*');
    await this.db('order_items').insert(
      lines.map(({ tt, quantity }) => ({
        order_id: order.id,
        ticket_type_id: tt.id,
        quantity,
        unit_price_cents: tt.price_cents,
      })),
    );
    return order;
  }

  async pay(userId: string, orderId: string, customerRef: string): Promise<{ status: string; clientSecret?: string }> {
    const order = await this.repo.findForUser(orderId, userId);
    if (!order) {
      throw new HttpError(404, 'Order not found', 'not_found');
    }
    if (order.status !== 'pending') {
      throw new HttpError(409, `Order is ${order.status}`, 'conflict');
    }
    const intent = await payments.createPaymentIntent(
      { amountCents: order.total_cents, currency: order.currency, orderId: order.id, customerRef },
      `order-${order.id}`,
    );
    await this.db('orders').where({ id: order.id }).update({ payment_intent_id: intent.id });
    if (intent.status === 'succeeded') {
      await this.markPaid(order.id);
    }
    return { status: intent.status, clientSecret: intent.client_secret };
  }

  /** Idempotent: only the first call for a pending order issues tickets. */
  async markPaid(orderId: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      const updated = await trx('orders').where({ id: orderId, status: 'pending' }).update({ status: 'paid', paid_at: trx.fn.now() });
      if (updated === 0) {
        return;
      }
      const order = await trx<OrderRow>('orders').where({ id: orderId }).first();
      const items = await trx('order_items').where({ order_id: orderId });
      const tickets = items.flatMap((item: { ticket_type_id: string; quantity: number }) =>
        Array.from({ length: item.quantity }, () => ({
          order_id: orderId,
          ticket_type_id: item.ticket_type_id,
          holder_id: order!.user_id,
          barcode: newBarcode(),
          status: 'valid',
        })),
      );
      await trx('tickets').insert(tickets);
      await trx('jobs').insert({ kind: 'ticket-email', payload: { orderId }, run_at: trx.fn.now() });
    });
  }

  async refund(orderId: string, reason: string): Promise<void> {
    const order = await this.db<OrderRow>('orders').where({ id: orderId }).first();
    if (!order || order.status !== 'paid' || !order.payment_intent_id) {
      throw new HttpError(409, 'Order cannot be refunded', 'conflict');
    }
    await payments.refund(order.payment_intent_id, order.total_cents, `refund-${order.id}`);
    await this.db.transaction(async (trx) => {
      await trx('orders').where({ id: order.id, status: 'paid' }).update({ status: 'refunded', refund_reason: reason });
      await trx('tickets').where({ order_id: order.id }).update({ status: 'void' });
      const items = await trx('order_items').where({ order_id: order.id });
      for (const item of items) {
        await this.inventory.release(trx, item.ticket_type_id, item.quantity);
      }
    });
  }
}
