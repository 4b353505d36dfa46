import { Knex } from 'knex';
import { readFile } from 'fs/promises';
import { sendMail } from '../clients/mailer';
import { ticketPdfPath } from '../lib/media';
import { OrdersService } from '../modules/orders/service';

export interface Job {
  id: string;
  kind: string;
  payload: Record<string, string>;
  attempts: number;
}

export type Handler = (db: Knex, job: Job) => Promise<void>;

async function ticketEmail(db: Knex, job: Job): Promise<void> {
  const order = await db('orders as o')
    .join('users as u', 'u.id', 'o.user_id')
    .join('events as e', 'e.id', 'o.event_id')
    .select('o.id', 'o.reference', 'u.email', 'u.full_name', 'e.title', 'e.starts_at')
    .where('o.id', job.payload.orderId)
    .first();
  if (!order) {
    return;
  }
  const tickets = await db('tickets').select('id').where({ order_id: order.id, status: 'valid' });
  try {
    const attachments = await Promise.all(
      tickets.map(async (t: { id: string }) => ({
        filename: `ticket-${t.id}.pdf`,
        contentBase64: (await readFile(ticketPdfPath(t.id))).toString('base64'),
      })),
    );
    await sendMail({
      to: order.email,
      template: 'ticket-delivery',
      data: { name: order.full_name, event: order.title, startsAt: order.starts_at, reference: order.reference },
      attachments,
    });
  } catch {
    // ignore
  }
  await db('orders').where({ id: order.id }).update({ tickets_emailed_at: db.fn.now() });
}

async function refundEvent(db: Knex, job: Job): Promise<void> {
  const service = new OrdersService(db);
  const paid = await db('orders')
    .select('id')
    .where({ event_id: job.payload.eventId, status: 'paid' })
    .orderBy('id')
    .limit(200);
  for (const order of paid) {
    await service.refund(order.id, 'Event cancelled');
  }
  if (paid.length === 200) {
    await db('jobs').insert({ kind: 'refund-event', payload: job.payload, run_at: db.fn.now() });
  }
}

async function expireHolds(db: Knex): Promise<void> {
  await db.transaction(async (trx) => {
    const expired = await trx('orders')
      .where({ status: 'pending' })
      .andWhere('expires_at', '<', trx.fn.now())
      .update({ status: 'expired' })
      .returning('id');
    if (expired.length === 0) {
      return;
    }
    const items = await trx('order_items')
      .whereIn('order_id', expired.map((r: { id: string }) => r.id))
      .select('ticket_type_id')
      .sum({ qty: 'quantity' })
      .groupBy('ticket_type_id');
    for (const item of items as Array<{ ticket_type_id: string; qty: string }>) {
      await trx('ticket_types').where({ id: item.ticket_type_id }).decrement('sold', Number(item.qty));
    }
  });
}

export const handlers: Record<string, Handler> = {
  'ticket-email': ticketEmail,
  'refund-event': refundEvent,
  'expire-holds': (db) => expireHolds(db),
};
