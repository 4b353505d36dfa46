import { setTimeout as sleep } from 'node:timers/promises';
import { fetch } from 'undici';
import logger from '../logger.js';

export class GatewayError extends Error {
  constructor(message, status, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function createPaymentGateway({ baseUrl, secretKey, timeoutMs }) {
  async function call(path, { method = 'POST', body, idempotencyKey } = {}) {
    const headers = {
      Authorization: `Bearer ${secretKey}`,
      'Content-Type': 'application/json',
    };
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const payload = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new GatewayError(`gateway ${method} ${path} failed`, res.status, payload);
    }
    return payload;
  }

  return {
    async charge({ amountCents, currency, paymentMethod, description, metadata }) {
      let lastError;
      for (let attempt = 1; attempt <= 4; attempt++) {
        try {
          return await call('/charges', {
            body: { amount: amountCents, currency, payment_method: paymentMethod, description, metadata },
          });
        } catch (err) {
          lastError = err;
          logger.warn({ attempt, status: err.status }, 'charge attempt failed');
        }
      }
      throw lastError;
    },

    async refund(chargeId, { reason, refundKey }) {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          return await call(`/charges/${encodeURIComponent(chargeId)}/refunds`, {
            body: { reason },
            idempotencyKey: refundKey,
          });
        } catch (err) {
          const transient = !err.status || err.status >= 500 || err.status === 429;
          if (!transient || attempt === 2) throw err;
          await sleep(250 * 2 ** attempt + Math.floor(Math.random() * 100));
        }
      }
      throw new Error('unreachable');
    },

    async transfer({ destination, amountCents, currency, reference }) {
      return call('/transfers', {
        body: { destination, amount: amountCents, currency, reference },
        idempotencyKey: `payout-${reference}`,
      });
    },
  };
}
