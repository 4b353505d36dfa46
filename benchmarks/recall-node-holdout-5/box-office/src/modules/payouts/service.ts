import { Knex } from 'knex';
import { payments } from '../../clients/payments';
import { feeCents, parseCents } from '../../lib/money';
import { HttpError } from '../../plugins/errors';

export interface PayoutRow {
  id: string;
  organizer_id: string;
  amount_cents: number;
  status: 'pending' | 'paid' | 'failed';
  transfer_id: string | null;
  created_at: Date;
}

export class PayoutsService {
  constructor(private readonly db: Knex) {}

  /** Gross of paid orders for finished events minus platform fees minus payouts not failed. */
  async availableCents(trx: Knex | Knex.Transaction, organizerId: string): Promise<number> {
    const sales = await trx('orders as o')
      .join('events as e', 'e.id', 'o.event_id')
      .where({ 'e.organizer_id': organizerId, 'o.status': 'paid' })
      .andWhere('e.ends_at', '<', trx.fn.now())
      .select(trx.raw('coalesce(sum(o.subtotal_cents), 0)::bigint AS gross'), trx.raw('count(*)::int AS orders'))
      .first();
    const paid = await trx('payouts')
      .where({ organizer_id: organizerId })
      .whereNot({ status: 'failed' })
      .sum({ total: 'amount_cents' })
      .first();
    const gross = parseCents(sales?.gross ?? 0);
    const fees = feeCents(gross);
    return gross - fees - parseCents(paid?.total ?? 0);
  }

  async requestPayout(organizerId: string): Promise<PayoutRow> {
    const organizer = await this.db('organizers').where({ id: organizerId }).first();
    if (!organizer?.payout_account) {
      throw new HttpError(409, 'No payout account on file', 'no_account');
    }

    const payout = await this.db.transaction(async (trx) => {
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`payout:${organizerId}`]);
      const amount = await this.availableCents(trx, organizerId);
      if (amount < 1000) {
        throw new HttpError(409, 'Less than 10.00 available', 'nothing_to_pay');
      }
      const [row] = await trx<PayoutRow>('payouts')
        .insert({ organizer_id: organizerId, amount_cents: amount, status: 'pending' })
        .returning('*');
      return row;
    });

    try {
      const transfer = await payments.createTransfer({
        destinationAccount: organizer.payout_account,
        amountCents: payout.amount_cents,
        currency: 'EUR',
        memo: `box-office payout ${payout.id}`,
      });
      const [updated] = await this.db<PayoutRow>('payouts')
        .where({ id: payout.id })
        .update({ status: transfer.status === 'failed' ? 'failed' : 'paid', transfer_id: transfer.id })
        .returning('*');
      return updated;
    } catch (err) {
      await this.db('payouts').where({ id: payout.id }).update({ status: 'failed' });
      throw err;
    }
  }

  list(organizerId: string, limit: number) {
    return this.db<PayoutRow>('payouts').where({ organizer_id: organizerId }).orderBy('created_at', 'desc').limit(limit);
  }
}
