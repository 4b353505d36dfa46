'use strict';

const crypto = require('crypto');
const db = require('../db');
const config = require('../config');
const logger = require('../lib/logger');
const payments = require('../lib/paymentsClient');
const { HttpError } = require('../middleware/auth');
const { queues } = require('../jobs/queue');

const MAX_TICKETS_PER_ORDER = 10;

async function loadPromo(eventId, code) {
  if (!code) return null;
  const promo = await db('promo_codes').where({ event_id: eventId, code: code.toUpperCase() }).first();
  if (!promo) throw new HttpError(422, 'Unknown promo code', 'invalid_promo');
  if (promo.uses >= promo.max_uses) throw new HttpError(409, 'Promo code exhausted', 'promo_exhausted');
  return promo;
}

function priceFor(event, quantity, promo) {
  const gross = event.price_cents * quantity;
  if (!promo) return gross;
  return gross - Math.floor((gross * promo.percent_off) / 100);
}

async function createOrder(user, { eventId, quantity, promoCode }) {
  if (quantity < 1 || quantity > MAX_TICKETS_PER_ORDER) {
    throw new HttpError(422, `Between 1 and ${MAX_TICKETS_PER_ORDER} tickets per order`, 'invalid_quantity');
  }
  const event = await db('events').where({ id: eventId, status: 'published' }).first();
  if (!event) throw new HttpError(404, 'Event not found', 'not_found');
  const promo = await loadPromo(event.id, promoCode);

  const reserved = await db('events')
    .where({ id: event.id })
    .andWhere('remaining', '>=', quantity)
    .decrement('remaining', quantity);
  if (reserved === 0) throw new HttpError(409, 'Not enough seats left', 'sold_out');

  const [order] = await db('orders')
    .insert({
      user_id: user.id,
      event_id: event.id,
      quantity,
      total_cents: priceFor(event, quantity, promo),
      currency: event.currency,
      promo_code_id: promo ? promo.id : null,
      hold_expires_at: new Date(Date.now() + config.holdMinutes * 60 * 1000),
    })
    .returning('*');

  if (promo) {
    await db('promo_codes').where({ id: promo.id }).update({ uses: promo.uses + 1 });
  }
  return order;
}

async function getOrder(orderId) {
  const order = await db('orders').where({ id: orderId }).first();
  if (!order) throw new HttpError(404, 'Order not found', 'not_found');
  return order;
}

async function getOrderForUser(orderId, userId) {
  const order = await db('orders').where({ id: orderId, user_id: userId }).first();
  if (!order) throw new HttpError(404, 'Order not found', 'not_found');
  return order;
}

async function listForUser(userId, { limit = 20, before } = {}) {
  const q = db('orders')
    .where({ user_id: userId })
    .orderBy('id', 'desc')
    .limit(Math.min(Number(limit) || 20, config.maxPageSize));
  if (before) q.andWhere('id', '<', Number(before));
  const orders = await q;
  if (orders.length === 0) return [];
  const tickets = await db('tickets')
    .whereIn('order_id', orders.map((o) => o.id))
    .select('id', 'order_id', 'code', 'status');
  const byOrder = new Map();
  for (const t of tickets) {
    if (!byOrder.has(t.order_id)) byOrder.set(t.order_id, []);
    byOrder.get(t.order_id).push(t);
  }
  return orders.map((o) => ({ ...o, tickets: byOrder.get(o.id) || [] }));
}

async function payOrder(orderId, user, { paymentMethodToken }) {
  const order = await getOrderForUser(orderId, user.id);
  if (order.hold_expires_at && new Date(order.hold_expires_at) < new Date()) {
    throw new HttpError(410, 'Seat hold expired', 'hold_expired');
  }
  const customer = await db('users').where({ id: user.id }).first('email');
  const charge = await payments.createCharge({
    orderId: order.id,
    amountCents: order.total_cents,
    currency: order.currency,
    paymentMethodToken,
    customerEmail: customer.email,
  });
  await db('orders').where({ id: order.id }).update({ status: 'paid', charge_id: charge.id, updated_at: db.fn.now() });
  await queues.fulfilment.add('issue-tickets', { orderId: order.id }, { jobId: `issue-${order.id}` });
  return { ...order, status: 'paid', charge_id: charge.id };
}

async function refundOrder(orderId, actor) {
  const order = await getOrder(orderId);
  if (order.status !== 'paid') throw new HttpError(409, 'Only paid orders can be refunded', 'invalid_state');

  await db.transaction(async (trx) => {
    const updated = await trx('orders')
      .where({ id: order.id, status: 'paid' })
      .update({ status: 'refunding', updated_at: trx.fn.now() });
    if (updated === 0) throw new HttpError(409, 'Order already being refunded', 'invalid_state');
    await trx('tickets').where({ order_id: order.id }).update({ status: 'void' });
    await trx('events').where({ id: order.event_id }).increment('remaining', order.quantity);
  });

  const idempotencyKey = crypto.createHash('sha256').update(`refund:${order.id}`).digest('hex');
  await payments.refundCharge({ chargeId: order.charge_id, amountCents: order.total_cents, idempotencyKey });
  await db('orders').where({ id: order.id }).update({ status: 'refunded' });
  logger.info({ orderId: order.id, actorId: actor.id }, 'order refunded');
  return { id: order.id, status: 'refunded' };
}

module.exports = { createOrder, getOrder, getOrderForUser, listForUser, payOrder, refundOrder, priceFor };
