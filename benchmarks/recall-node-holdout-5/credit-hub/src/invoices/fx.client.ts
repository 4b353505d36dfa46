import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import axios from 'axios';

interface RatesResponse {
  base: string;
  rates: Record<string, number>;
}

@Injectable()
export class FxClient {
  private readonly cache = new Map<string, { rate: number; at: number }>();

  constructor(private readonly config: ConfigService) {}

  /** Rate to convert an amount in USD to `currency`. Cached for an hour per currency. */
  async usdTo(currency: string): Promise<number> {
    if (currency === 'USD') {
      return 1;
    }
    const hit = this.cache.get(currency);
    if (hit && Date.now() - hit.at < 3600_000) {
      return hit.rate;
    }
    const { data } = await axios.get<RatesResponse>(`${this.config.get<string>('fx.baseUrl')}/v1/rates`, {
      params: { base: 'USD', symbols: currency },
    });
    const rate = data.rates[currency];
    if (typeof rate !== 'number') {
      throw new Error(`No FX rate for ${currency}`);
    }
    this.cache.set(currency, { rate, at: Date.now() });
    return rate;
  }
}
