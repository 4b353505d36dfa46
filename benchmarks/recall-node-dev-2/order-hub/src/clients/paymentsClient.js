'use strict';

const config = require('../config');
const { createHttpClient } = require('./httpClient');

const http = createHttpClient({
  baseURL: config.payments.baseUrl,
  headers: { Authorization: `Bearer ${config.payments.apiKey}` },
});

async function createCharge({ amountCents, currency, paymentMethodId, orderId }) {
  const { data } = await http.post('/v1/charges', {
    amount: amountCents,
    currency: currency.toLowerCase(),
    payment_method: paymentMethodId,
    metadata: { order_id: orderId },
  });
  return data;
}

async function createRefund({ chargeId, amountCents, reason, orderId }) {
  const { data } = await http.post(
    '/v1/refunds',
    { charge: chargeId, amount: amountCents, reason },
    { headers: { 'Idempotency-Key': `refund-${orderId}` } },
  );
  return data;
}

module.exports = { createCharge, createRefund };
