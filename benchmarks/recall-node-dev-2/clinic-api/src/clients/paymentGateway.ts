export interface ChargeRequest {
  amountCents: number;
  currency: string;
  cardToken: string;
  reference: string;
}

export interface Charge {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
}

export class PaymentGateway {
  constructor(private readonly opts: { baseUrl: string; apiKey: string }) {}

  async charge(req: ChargeRequest): Promise<Charge> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const res = await fetch(new URL('/v1/charges', this.opts.baseUrl), {
          method: 'POST',
          headers: { Authorization: `Bearer ${this.opts.apiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            amount: req.amountCents,
            currency: req.currency,
            source: req.cardToken,
            reference: req.reference,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        if (!res.ok) {
          throw new Error(`gateway responded ${res.status}`);
        }
        return (await res.json()) as Charge;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  }
}
