import { AxiosInstance } from 'axios';
import { HttpClientFactory } from '../clients/httpClientFactory';

const MAIL_API = process.env.MAIL_API_URL ?? 'https://mail.internal.clinic.example';

export class Mailer {
  private readonly http: AxiosInstance;

  constructor(factory: HttpClientFactory) {
    this.http = factory.create({ name: 'mail', baseURL: MAIL_API, timeoutMs: 5000 });
  }

  async sendPasswordReset(to: string, resetUrl: string): Promise<void> {
    await this.http.post('/send', { template: 'password-reset', to, vars: { resetUrl } });
  }

  async sendInvite(to: string, inviteToken: string): Promise<void> {
    await this.http.post('/send', { template: 'staff-invite', to, vars: { inviteToken } });
  }
}
