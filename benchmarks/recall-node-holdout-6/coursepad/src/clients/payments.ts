import { config } from '../config.js';
import { createHttpClient } from '../lib/http.js';

export interface Charge {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
  amount: number;
  currency: string;
}

export interface Transfer {
  id: string;
  status: 'paid' | 'pending' | 'failed';
}

const http = createHttpClient({
  baseUrl: config.payments.baseUrl,
  timeoutMs: config.payments.timeoutMs,
  headers: { authorization: `Bearer ${config.payments.apiKey}` },
});

export const payments = {
  createCharge(input: {
    amountCents: number;
    currency: string;
    paymentMethod: string;
    description: string;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<Charge> {
    return http.post<Charge>('/v2/charges', {
      amount: input.amountCents,
      currency: input.currency,
      payment_method: input.paymentMethod,
      description: input.description,
      metadata: input.metadata,
    }, { 'idempotency-key': input.idempotencyKey });
  },

  refundCharge(chargeId: string, amountCents: number, idempotencyKey: string) {
    return http.post<{ id: string; status: string }>(
      `/v2/charges/${encodeURIComponent(chargeId)}/refunds`,
      { amount: amountCents },
      { 'idempotency-key': idempotencyKey },
    );
  },

  createTransfer(input: { payoutId: string; destination: string; amountCents: number; currency: string }) {
    return http.post<Transfer>('/v2/transfers', {
      amount: input.amountCents,
      currency: input.currency,
      destination: input.destination,
      reference: input.payoutId,
    }, { 'idempotency-key': `payout:${input.payoutId}` });
  },
};
