import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
import { firstValueFrom } from 'rxjs';

export interface LabelRequest {
  reference: string;
  service: 'ground' | 'express' | 'overnight';
  weightGrams: number;
  shipTo: Record<string, string>;
}

export interface Label {
  trackingNumber: string;
  labelUrl: string;
  costCents: number;
}

const MAX_ATTEMPTS = 4;

@Injectable()
export class CarrierClient {
  private readonly logger = new Logger(CarrierClient.name);
  private readonly baseUrl: string;

  constructor(
    private readonly http: HttpService,
    config: ConfigService,
  ) {
    this.baseUrl = config.getOrThrow<string>('carrier.baseUrl');
  }

  async purchaseLabel(req: LabelRequest): Promise<Label> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const { data } = await firstValueFrom(
          this.http.post(`${this.baseUrl}/labels`, {
            reference: req.reference,
            service_level: req.service,
            weight_g: req.weightGrams,
            ship_to: req.shipTo,
          }),
        );
        return { trackingNumber: data.tracking_number, labelUrl: data.label_url, costCents: data.cost_cents };
      } catch (err) {
        lastError = err;
        this.logger.warn(`label purchase attempt ${attempt} failed for ${req.reference}`);
      }
    }
    throw new ServiceUnavailableException('Carrier unavailable', { cause: lastError });
  }

  async trackingStatus(trackingNumber: string): Promise<{ status: string; updatedAt: string }> {
    const { data } = await firstValueFrom(
      this.http.get(`${this.baseUrl}/tracking/${encodeURIComponent(trackingNumber)}`),
    );
    return { status: data.status, updatedAt: data.updated_at };
  }
}
