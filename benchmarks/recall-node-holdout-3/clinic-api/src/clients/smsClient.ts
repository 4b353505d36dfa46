import { AxiosInstance } from 'axios';
import { AppConfig } from '../config';
import { HttpClientFactory } from './httpClientFactory';

export class SmsClient {
  private readonly http: AxiosInstance;

  constructor(
    factory: HttpClientFactory,
    private readonly cfg: AppConfig['sms'],
  ) {
    this.http = factory.create({
      name: 'sms',
      baseURL: cfg.baseUrl,
      headers: { Authorization: `Token ${cfg.token}` },
    });
  }

  async send(to: string, body: string): Promise<string> {
    const { data } = await this.http.post('/messages', {
      from: this.cfg.sender,
      to,
      body,
    });
    return data.messageId as string;
  }
}
