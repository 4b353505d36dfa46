import { Injectable, Logger } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom } from 'rxjs';

export interface CreateChargeInput {
  amountCents: number;
  currency: string;
  paymentMethodId: string;
  description: string;
  metadata: Record<string, string>;
  idempotencyKey?: string;
}

export interface Charge {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
  amount: number;
}

@Injectable()
export class PaymentsClient {
  private readonly logger = new Logger(PaymentsClient.name);

  constructor(private readonly http: HttpService) {}

  async createCharge(input: CreateChargeInput): Promise<Charge> {
    const headers: Record<string, string> = {};
    if (input.idempotencyKey) {
      headers['Idempotency-Key'] = input.idempotencyKey;
    }
    const { data } = await firstValueFrom(
      this.http.post<Charge>(
        '/charges',
        {
          amount: input.amountCents,
          currency: input.currency.toLowerCase(),
          payment_method: input.paymentMethodId,
          description: input.description,
          metadata: input.metadata,
          confirm: true,
        },
        { headers },
      ),
    );
    this.logger.log(`charge ${data.id} status=${data.status}`);
    return data;
  }

  async refundCharge(chargeId: string, amountCents: number, idempotencyKey: string): Promise<void> {
    await firstValueFrom(
      this.http.post(
        `/charges/${encodeURIComponent(chargeId)}/refunds`,
        { amount: amountCents },
        { headers: { 'Idempotency-Key': idempotencyKey } },
      ),
    );
  }
}
