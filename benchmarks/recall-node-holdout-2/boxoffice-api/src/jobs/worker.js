'use strict';

const crypto = require('crypto');
const cron = require('node-cron');
const db = require('../db');
const logger = require('../lib/logger');
const payments = require('../lib/paymentsClient');
const ticketService = require('../services/ticketService');
const mailer = require('../services/mailer');
const { queues, closeAll } = require('./queue');

async function fulfil(job) {
  const { orderId } = job.data;
  const codes = await ticketService.issueForOrder(orderId);
  if (codes.length === 0) return { issued: 0 };
  const row = await db('orders')
    .join('users', 'users.id', 'orders.user_id')
    .join('events', 'events.id', 'orders.event_id')
    .where('orders.id', orderId)
    .first('users.email', 'users.display_name', 'events.title', 'events.starts_at');
  await mailer.sendTickets(row.email, {
    name: row.display_name || 'there',
    eventTitle: row.title,
    startsAt: row.starts_at,
    codes,
  });
  return { issued: codes.length };
}

async function payout(job) {
  const { eventId } = job.data;
  const claimed = await db('payouts')
    .where({ event_id: eventId, status: 'queued' })
    .update({ status: 'processing', updated_at: db.fn.now() });
  if (claimed === 0) {
    logger.info({ eventId }, 'payout already claimed or done');
    return { skipped: true };
  }
  const info = await db('payouts')
    .join('events', 'events.id', 'payouts.event_id')
    .join('users', 'users.id', 'events.organizer_id')
    .where('payouts.event_id', eventId)
    .first('payouts.amount_cents', 'events.currency', 'users.payout_account_id');
  const idempotencyKey = crypto.createHash('sha256').update(`payout:${eventId}`).digest('hex');
  try {
    const result = await payments.createPayout({
      organizerAccountId: info.payout_account_id,
      amountCents: info.amount_cents,
      currency: info.currency,
      idempotencyKey,
    });
    await db('payouts').where({ event_id: eventId }).update({ status: 'paid', provider_ref: result.id });
    return { paid: true };
  } catch (err) {
    await db('payouts').where({ event_id: eventId }).update({ status: 'queued' });
    throw err;
  }
}

const BATCH_SIZE = 500;

/** Releases seats held by orders that were never paid. */
async function releaseExpiredHolds(now = new Date()) {
  let released = 0;
  for (;;) {
    const expired = await db('orders')
      .where({ status: 'pending' })
      .andWhere('hold_expires_at', '<', now)
      .orderBy('id')
      .limit(BATCH_SIZE)
      .select('id', 'event_id', 'quantity');
    if (expired.length === 0) break;

    await db.transaction(async (trx) => {
      const ids = expired.map((o) => o.id);
      const cancelled = await trx('orders')
        .whereIn('id', ids)
        .andWhere({ status: 'pending' })
        .update({ status: 'expired' })
        .returning(['event_id', 'quantity']);
      const perEvent = new Map();
      for (const row of cancelled) perEvent.set(row.event_id, (perEvent.get(row.event_id) || 0) + row.quantity);
      for (const [eventId, qty] of perEvent) {
        await trx('events').where({ id: eventId }).increment('remaining', qty);
      }
      released += cancelled.length;
    });
    if (expired.length < BATCH_SIZE) break;
  }
  if (released > 0) logger.info({ released }, 'released expired seat holds');
  return released;
}

/** Queues payouts for events that ended more than 48h ago. */
async function schedulePayouts() {
  const { rows } = await db.raw(
    `insert into payouts (event_id, amount_cents)
       select e.id, coalesce(sum(o.total_cents), 0)
         from events e join orders o on o.event_id = e.id and o.status = 'paid'
        where e.starts_at < now() - interval '48 hours'
          and not exists (select 1 from payouts p where p.event_id = e.id)
        group by e.id
     on conflict (event_id) do nothing
     returning event_id`,
  );
  for (const row of rows) {
    await queues.payouts.add({ eventId: row.event_id }, { jobId: `payout-${row.event_id}` });
  }
  return rows.length;
}

function schedule() {
  cron.schedule('* * * * *', () => {
    releaseExpiredHolds().catch((err) => logger.error({ err }, 'releaseExpiredHolds failed'));
  });
  cron.schedule('15 3 * * *', () => {
    schedulePayouts().catch((err) => logger.error({ err }, 'schedulePayouts failed'));
  });
}

function start() {
  queues.fulfilment.process('issue-tickets', 5, fulfil);
  queues.payouts.process(2, payout);
  for (const q of Object.values(queues)) {
    q.on('failed', (job, err) => {
      logger.error({ queue: q.name, jobId: job.id, attempts: job.attemptsMade, err: err.message }, 'job failed');
    });
  }
  logger.info('worker started');
}

async function shutdown(signal) {
  logger.info({ signal }, 'worker shutting down');
  await closeAll();
  await db.destroy();
  process.exit(0);
}

if (require.main === module) {
  start();
  schedule();
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

module.exports = { fulfil, payout, start, schedule, releaseExpiredHolds, schedulePayouts };
