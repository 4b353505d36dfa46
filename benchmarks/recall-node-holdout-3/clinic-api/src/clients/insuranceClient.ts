import { AxiosInstance } from 'axios';
import { AppConfig } from '../config';
import { logger } from '../logger';
import { HttpClientFactory } from './httpClientFactory';

export type Eligibility = 'eligible' | 'ineligible' | 'unknown';

export class InsuranceClient {
  private readonly http: AxiosInstance;

  constructor(factory: HttpClientFactory, cfg: AppConfig['insurance']) {
    this.http = factory.create({
      name: 'insurance',
      baseURL: cfg.baseUrl,
      timeoutMs: cfg.timeoutMs,
      headers: { 'X-Api-Key': cfg.apiKey },
    });
  }

  /**
   * Eligibility is advisory: the front desk re-checks at check-in, so when the
   * partner is down we record "unknown" rather than blocking registration.
   */
  async checkEligibility(memberId: string, dateOfBirth: string): Promise<Eligibility> {
    try {
      const { data } = await this.http.post('/eligibility', { memberId, dateOfBirth });
      return data.eligible ? 'eligible' : 'ineligible';
    } catch (err) {
      logger.warn({ err }, 'eligibility check failed, recording unknown');
      return 'unknown';
    }
  }
}
