import { Knex } from 'knex';
import { createHash } from 'crypto';
import { newBarcode, newTransferCode } from '../../lib/tokens';
import { HttpError } from '../../plugins/errors';

export interface TicketRow {
  id: string;
  order_id: string;
  ticket_type_id: string;
  holder_id: string;
  barcode: string;
  status: 'valid' | 'void' | 'transfer_pending';
  checked_in_at: Date | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class TicketsService {
  constructor(private readonly db: Knex) {}

  listForHolder(holderId: string, limit: number, offset: number) {
    return this.db('tickets as t')
      .join('ticket_types as tt', 'tt.id', 't.ticket_type_id')
      .join('events as e', 'e.id', 'tt.event_id')
      .select('t.id', 't.status', 't.barcode', 'tt.name as ticket_type', 'e.title', 'e.starts_at')
      .where('t.holder_id', holderId)
      .orderBy('e.starts_at', 'asc')
      .limit(limit)
      .offset(offset);
  }

  async getForHolder(ticketId: string, holderId: string): Promise<TicketRow> {
    const ticket = await this.db<TicketRow>('tickets').where({ id: ticketId, holder_id: holderId }).first();
    if (!ticket) {
      throw new HttpError(404, 'Ticket not found', 'not_found');
    }
    return ticket;
  }

  /** Starts a transfer: the ticket is parked until the recipient claims it with the code. */
  async startTransfer(ticketId: string, recipientEmail: string): Promise<{ code: string }> {
    const ticket = await this.db<TicketRow>('tickets').where({ id: ticketId }).first();
    if (!ticket || ticket.status !== 'valid' || ticket.checked_in_at) {
      throw new HttpError(409, 'Ticket cannot be transferred', 'conflict');
    }
    const code = newTransferCode();
    await this.db.transaction(async (trx) => {
      await trx('tickets').where({ id: ticket.id, status: 'valid' }).update({ status: 'transfer_pending' });
      await trx('ticket_transfers').insert({
        ticket_id: ticket.id,
        recipient_email: recipientEmail.toLowerCase(),
        code_hash: sha256(code),
        expires_at: new Date(Date.now() + 72 * 3600_000),
      });
    });
    return { code };
  }

  async claim(userId: string, userEmail: string, code: string): Promise<TicketRow> {
    return this.db.transaction(async (trx) => {
      const transfer = await trx('ticket_transfers')
        .where({ code_hash: sha256(code) })
        .whereNull('claimed_at')
        .andWhere('expires_at', '>', trx.fn.now())
        .forUpdate()
        .first();
      if (!transfer || transfer.recipient_email !== userEmail.toLowerCase()) {
        throw new HttpError(404, 'Transfer not found', 'not_found');
      }
      await trx('ticket_transfers').where({ id: transfer.id }).update({ claimed_at: trx.fn.now(), claimed_by: userId });
      const [ticket] = await trx<TicketRow>('tickets')
        .where({ id: transfer.ticket_id, status: 'transfer_pending' })
        .update({ holder_id: userId, status: 'valid', barcode: newBarcode() })
        .returning('*');
      if (!ticket) {
        throw new HttpError(409, 'Ticket is no longer transferable', 'conflict');
      }
      return ticket;
    });
  }
}
