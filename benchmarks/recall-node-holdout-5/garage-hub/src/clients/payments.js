'use strict';

const config = require('../config');
const { createHttpClient } = require('../lib/httpClient');

const http = createHttpClient({
  name: 'payments',
  baseURL: config.payments.baseURL,
  timeoutMs: config.payments.timeoutMs,
  headers: { Authorization: `Bearer ${config.payments.apiKey}` },
});

async function charge({ amountCents, currency, customerRef, paymentMethod, description, idempotencyKey }) {
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  const { data } = await http.post(
    '/charges',
    { amount: amountCents, currency, customer: customerRef, payment_method: paymentMethod, description, capture: true },
    { headers },
  );
  return data;
}

async function transfer({ destination, amountCents, currency, reference }) {
  const { data } = await http.post(
    '/transfers',
    { destination, amount: amountCents, currency, reference },
    { headers: { 'Idempotency-Key': `transfer-${reference}` } },
  );
  return data;
}

module.exports = { charge, transfer };
