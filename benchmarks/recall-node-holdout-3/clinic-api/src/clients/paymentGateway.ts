import { AxiosError, AxiosInstance } from 'axios';
import { AppConfig } from '../config';
import { HttpClientFactory } from './httpClientFactory';

export interface ChargeResult {
  chargeId: string;
  status: 'succeeded' | 'failed';
}

const MAX_ATTEMPTS = 3;

function isRetryable(err: unknown): boolean {
  const axiosErr = err as AxiosError;
  if (axiosErr.code === 'ECONNABORTED' || axiosErr.code === 'ECONNRESET') return true;
  const status = axiosErr.response?.status;
  return status === 429 || (status !== undefined && status >= 500);
}

function backoff(attempt: number): Promise<void> {
  const base = 200 * 2 ** attempt;
  const jitter = Math.floor(Math.random() * base);
  return new Promise((resolve) => setTimeout(resolve, base + jitter));
}

export class PaymentGateway {
  private readonly http: AxiosInstance;

  constructor(factory: HttpClientFactory, cfg: AppConfig['payments']) {
    this.http = factory.create({
      name: 'payments',
      baseURL: cfg.baseUrl,
      timeoutMs: cfg.timeoutMs,
      headers: { Authorization: `Bearer ${cfg.apiKey}` },
    });
  }

  async charge(params: {
    amountCents: number;
    currency: string;
    cardToken: string;
    reference: string;
    idempotencyKey?: string;
  }): Promise<ChargeResult> {
    const headers: Record<string, string> = {};
    if (params.idempotencyKey) {
      headers['Idempotency-Key'] = params.idempotencyKey;
    }
    const { data } = await this.http.post(
      '/charges',
      {
        amount: params.amountCents,
        currency: params.currency,
        source: params.cardToken,
        reference: params.reference,
      },
      { headers },
    );
    return { chargeId: data.id, status: data.status };
  }

  /** Refunds are keyed by our payment id, so retrying them cannot refund twice. */
  async refund(chargeId: string, paymentId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.http.post(
          `/charges/${encodeURIComponent(chargeId)}/refunds`,
          {},
          { headers: { 'Idempotency-Key': `refund-${paymentId}` } },
        );
        return;
      } catch (err) {
        if (attempt + 1 >= MAX_ATTEMPTS || !isRetryable(err)) {
          throw err;
        }
        await backoff(attempt);
      }
    }
  }
}
