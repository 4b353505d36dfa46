import { Knex } from 'knex';
import { HttpError } from '../../plugins/errors';
import { TicketTypeRow } from '../events/repository';

export class InventoryService {
  constructor(private readonly db: Knex) {}

  /** Takes `quantity` tickets of a type out of the available pool. */
  async reserve(ticketTypeId: string, quantity: number): Promise<TicketTypeRow> {
    const tt = await this.db<TicketTypeRow>('ticket_types').where({ id: ticketTypeId }).first();
    if (!tt) {
      throw new HttpError(404, 'Ticket type not found', 'not_found');
    }
    if (quantity > tt.per_order_limit) {
      throw new HttpError(400, `At most ${tt.per_order_limit} tickets per order`, 'limit');
    }
    if (tt.sold + quantity > tt.capacity) {
      throw new HttpError(409, `${tt.name} is sold out`, 'sold_out');
    }
    await this.db('ticket_types').where({ id: ticketTypeId }).increment('sold', quantity);
    return tt;
  }

  async release(trx: Knex | Knex.Transaction, ticketTypeId: string, quantity: number): Promise<void> {
    await trx('ticket_types').where({ id: ticketTypeId }).where('sold', '>=', quantity).decrement('sold', quantity);
  }

  /** Redeems a promo code once; the guard in the WHERE clause makes concurrent redemptions safe. */
  async redeemPromo(trx: Knex | Knex.Transaction, eventId: string, code: string): Promise<{ id: string; percent_off: number } | null> {
    const [promo] = await trx('promo_codes')
      .where({ event_id: eventId, code: code.toUpperCase() })
      .andWhere('expires_at', '>', trx.fn.now())
      .andWhereRaw('used_count < max_uses')
      .increment('used_count', 1)
      .returning(['id', 'percent_off']);
    return promo ?? null;
  }
}
