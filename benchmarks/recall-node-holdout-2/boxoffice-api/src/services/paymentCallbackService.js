'use strict';

const crypto = require('crypto');
const db = require('../db');
const config = require('../config');
const logger = require('../lib/logger');
const { HttpError } = require('../middleware/auth');
const { queues } = require('../jobs/queue');

function expectedSignature(rawBody, timestamp) {
  return crypto
    .createHmac('sha256', config.payments.callbackSecret)
    .update(`${timestamp}.${rawBody}`)
    .digest('hex');
}

function verifySignature(rawBody, header) {
  const parts = Object.fromEntries(String(header || '').split(',').map((kv) => kv.split('=')));
  const timestamp = Number(parts.t);
  if (!timestamp || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  return expectedSignature(rawBody, timestamp) === parts.v1;
}

async function applyChargeSucceeded(data) {
  const orderId = Number(data.metadata && data.metadata.orderId);
  const updated = await db('orders')
    .where({ id: orderId, status: 'pending' })
    .update({ status: 'paid', charge_id: data.id, updated_at: db.fn.now() });
  if (updated > 0) {
    await queues.fulfilment.add('issue-tickets', { orderId }, { jobId: `issue-${orderId}` });
  }
}

async function applyChargeRefunded(data) {
  await db('orders').where({ charge_id: data.id }).update({ status: 'refunded', updated_at: db.fn.now() });
}

async function handle(rawBody, signatureHeader) {
  if (!verifySignature(rawBody, signatureHeader)) {
    throw new HttpError(400, 'Bad signature', 'bad_signature');
  }
  const event = JSON.parse(rawBody);
  const inserted = await db('payment_callbacks')
    .insert({ provider_event_id: event.id, type: event.type, payload: event })
    .onConflict('provider_event_id')
    .ignore()
    .returning('provider_event_id');
  if (inserted.length === 0) {
    return { duplicate: true };
  }

  try {
    if (event.type === 'charge.succeeded') await applyChargeSucceeded(event.data);
    else if (event.type === 'charge.refunded') await applyChargeRefunded(event.data);
  } catch (err) {
    logger.error({ eventId: event.id }, 'failed to apply payment callback');
  }
  return { duplicate: false };
}

module.exports = { handle, verifySignature };
