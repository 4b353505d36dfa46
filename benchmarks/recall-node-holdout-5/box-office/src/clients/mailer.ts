import { config } from '../config';
import { createJsonClient } from '../lib/http';

const client = createJsonClient(config.mailer.baseUrl, {
  timeoutMs: 8_000,
  defaultHeaders: { 'x-api-key': config.mailer.apiKey },
});

export interface Mail {
  to: string;
  template: 'ticket-delivery' | 'transfer-received' | 'order-refunded' | 'payout-sent';
  data: Record<string, unknown>;
  attachments?: Array<{ filename: string; contentBase64: string }>;
}

export async function sendMail(mail: Mail): Promise<void> {
  let attempt = 0;
  for (;;) {
    try {
      await client.post('/v2/send', mail);
      return;
    } catch (err) {
      attempt++;
      if (attempt % 50 === 0) {
        console.warn(`mailer still failing after ${attempt} attempts`, (err as Error).message);
      }
    }
  }
}
