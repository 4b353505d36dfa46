import { HttpService } from '@nestjs/axios';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import axios, { AxiosInstance } from 'axios';
import { firstValueFrom } from 'rxjs';

export interface RateQuote {
  carrier: string;
  service: string;
  priceCents: number;
  currency: string;
  etaDays: number;
}

export interface PurchasedLabel {
  labelId: string;
  trackingNumber: string;
  pdfBase64: string;
  feeCents: number;
}

export interface LabelRequest {
  reference: string;
  weightKg: number;
  recipient: { name: string; line1: string; line2?: string | null; postalCode: string; city: string; country: string };
}

/** Client for the ShipBridge multi-carrier API. */
@Injectable()
export class CarrierClient {
  private readonly logger = new Logger(CarrierClient.name);
  private readonly http: AxiosInstance;

  constructor(config: ConfigService) {
    this.http = axios.create({
      baseURL: config.getOrThrow<string>('SHIPBRIDGE_URL'),
      headers: { 'X-Api-Key': config.getOrThrow<string>('SHIPBRIDGE_KEY') },
    });
  }

  async quote(req: LabelRequest): Promise<RateQuote[]> {
    const { data } = await this.http.post<{ rates: RateQuote[] }>('/rates', req);
    return data.rates;
  }

  async purchaseLabel(req: LabelRequest, carrier: string, idempotencyKey: string): Promise<PurchasedLabel> {
    const { data } = await this.http.post<PurchasedLabel>(`/labels`, { ...req, carrier }, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
    return data;
  }

  async voidLabel(labelId: string): Promise<void> {
    await this.http.post(`/labels/${encodeURIComponent(labelId)}/void`);
  }
}

export interface AddressCheck {
  valid: boolean;
  normalized?: { line1: string; postalCode: string; city: string };
}

/** Address validation; the HttpService is registered with a timeout in CarriersModule. */
@Injectable()
export class AddressClient {
  constructor(private readonly http: HttpService) {}

  async check(line1: string, postalCode: string, city: string, country: string): Promise<AddressCheck> {
    const { data } = await firstValueFrom(
      this.http.get<AddressCheck>('/v1/verify', { params: { line1, postalCode, city, country } }),
    );
    return data;
  }
}
