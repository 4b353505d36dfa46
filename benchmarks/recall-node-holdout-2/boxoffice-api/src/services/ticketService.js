'use strict';

const db = require('../db');
const logger = require('../lib/logger');
const { HttpError } = require('../middleware/auth');

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function generateTicketCode(length = 10) {
  let code = '';
  for (let i = 0; i < length; i += 1) {
    code += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)];
  }
  return code;
}

async function issueForOrder(orderId) {
  const order = await db('orders').where({ id: orderId }).first();
  if (!order) throw new Error(`order ${orderId} vanished before fulfilment`);
  if (order.status !== 'paid') {
    logger.warn({ orderId, status: order.status }, 'skipping fulfilment of unpaid order');
    return [];
  }
  const existing = await db('tickets').where({ order_id: orderId }).select('code');
  if (existing.length > 0) return existing.map((t) => t.code);

  const rows = [];
  for (let i = 0; i < order.quantity; i += 1) {
    rows.push({ order_id: order.id, event_id: order.event_id, owner_id: order.user_id, code: generateTicketCode() });
  }
  const inserted = await db('tickets').insert(rows).returning('code');
  return inserted.map((t) => t.code);
}

async function listMine(userId, { limit = 50 } = {}) {
  const tickets = await db('tickets')
    .where({ owner_id: userId })
    .whereNot({ status: 'void' })
    .orderBy('id', 'desc')
    .limit(Math.min(Number(limit) || 50, 100));
  const result = [];
  for (const ticket of tickets) {
    const event = await db('events')
      .where({ id: ticket.event_id })
      .first('id', 'title', 'starts_at', 'venue_id');
    result.push({ id: ticket.id, code: ticket.code, status: ticket.status, event });
  }
  return result;
}

async function getForOwner(ticketId, userId) {
  const ticket = await db('tickets').where({ id: ticketId, owner_id: userId }).first();
  if (!ticket) throw new HttpError(404, 'Ticket not found', 'not_found');
  return ticket;
}

async function transfer(ticketId, fromUserId, toEmail) {
  return db.transaction(async (trx) => {
    const recipient = await trx('users').where({ email: toEmail.trim().toLowerCase() }).first('id');
    if (!recipient) throw new HttpError(422, 'Recipient must have an account', 'unknown_recipient');
    const moved = await trx('tickets')
      .where({ id: ticketId, owner_id: fromUserId, status: 'valid' })
      .update({ owner_id: recipient.id, updated_at: trx.fn.now() });
    if (moved === 0) throw new HttpError(404, 'Ticket not found', 'not_found');
    return { id: ticketId, owner_id: recipient.id };
  });
}

async function scan(code, eventId) {
  const updated = await db('tickets')
    .where({ code, event_id: eventId, status: 'valid' })
    .whereNull('scanned_at')
    .update({ scanned_at: db.fn.now(), status: 'used' })
    .returning(['id', 'owner_id']);
  if (updated.length === 0) {
    return { admitted: false };
  }
  return { admitted: true, ticketId: updated[0].id };
}

module.exports = { generateTicketCode, issueForOrder, listMine, getForOwner, transfer, scan };
