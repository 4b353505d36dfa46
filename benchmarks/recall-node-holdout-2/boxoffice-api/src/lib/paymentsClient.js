'use strict';

const config = require('../config');
const logger = require('./logger');
const { createHttpClient } = require('./httpClient');

const client = createHttpClient({
  baseURL: config.payments.baseUrl,
  timeoutMs: config.payments.timeoutMs,
  headers: { Authorization: `Bearer ${config.payments.apiKey}` },
});

function toMinorUnits(amountCents) {
  if (!Number.isInteger(amountCents) || amountCents < 0) {
    throw new Error('amount must be a non-negative integer number of cents');
  }
  return amountCents;
}

async function createCharge({ orderId, amountCents, currency, paymentMethodToken, customerEmail }) {
  const res = await client.post('/charges', {
    amount: toMinorUnits(amountCents),
    currency,
    source: paymentMethodToken,
    receipt_email: customerEmail,
    metadata: { orderId },
  });
  return res.data;
}

async function refundCharge({ chargeId, amountCents, idempotencyKey }) {
  const res = await client.post(
    `/charges/${encodeURIComponent(chargeId)}/refunds`,
    { amount: toMinorUnits(amountCents) },
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  return res.data;
}

async function createPayout({ organizerAccountId, amountCents, currency, idempotencyKey }) {
  try {
    const res = await client.post(
      '/payouts',
      { destination: organizerAccountId, amount: toMinorUnits(amountCents), currency },
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
    return res.data;
  } catch (err) {
    logger.error({ status: err.response && err.response.status, organizerAccountId }, 'payout request failed');
    throw err;
  }
}

module.exports = { createCharge, refundCharge, createPayout };
