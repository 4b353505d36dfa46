import { config } from '../config';
import { createJsonClient, UpstreamError } from '../lib/http';

const client = createJsonClient(config.payments.baseUrl, {
  timeoutMs: config.payments.timeoutMs,
  defaultHeaders: { authorization: `Bearer ${config.payments.apiKey}` },
});

export interface PaymentIntent {
  id: string;
  status: 'succeeded' | 'requires_action' | 'failed';
  client_secret?: string;
}

export interface Transfer {
  id: string;
  status: 'pending' | 'paid' | 'failed';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withBackoff<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const retriable = !(err instanceof UpstreamError) || err.status >= 500 || err.status === 429;
      if (!retriable || i >= attempts - 1) {
        throw err;
      }
      await sleep(200 * 2 ** i + Math.floor(Math.random() * 100));
    }
  }
}

export const payments = {
  createPaymentIntent(input: { amountCents: number; currency: string; orderId: string; customerRef: string }, idempotencyKey: string) {
    return withBackoff(() =>
      client.post<PaymentIntent>(
        '/v1/payment_intents',
        {
          amount: input.amountCents,
          currency: input.currency,
          metadata: { order_id: input.orderId },
          customer_reference: input.customerRef,
          confirm: true,
        },
        { 'idempotency-key': idempotencyKey },
      ),
    );
  },

  refund(paymentIntentId: string, amountCents: number, idempotencyKey: string) {
    return withBackoff(() =>
      client.post<{ id: string }>(
        `/v1/payment_intents/${encodeURIComponent(paymentIntentId)}/refunds`,
        { amount: amountCents },
        { 'idempotency-key': idempotencyKey },
      ),
    );
  },

  createTransfer(input: { destinationAccount: string; amountCents: number; currency: string; memo: string }) {
    return client.post<Transfer>('/v1/transfers', {
      destination: input.destinationAccount,
      amount: input.amountCents,
      currency: input.currency,
      description: input.memo,
    });
  },
};
