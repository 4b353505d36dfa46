import type { FastifyBaseLogger } from 'fastify';
import { config } from '../config.js';
import { backoffDelay, createHttpClient, sleep } from '../lib/http.js';
import { HttpError } from '../lib/errors.js';

const http = createHttpClient({
  baseUrl: config.mailer.baseUrl,
  timeoutMs: config.mailer.timeoutMs,
  headers: { 'x-api-key': config.mailer.apiKey },
});

export interface Mail {
  to: string;
  template: string;
  vars: Record<string, string | number>;
}

const MAX_ATTEMPTS = 4;

export async function sendMail(mail: Mail, log: FastifyBaseLogger): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await http.post('/v1/messages', mail, { 'idempotency-key': `${mail.template}:${mail.to}:${mail.vars.ref ?? ''}` });
      return;
    } catch (err) {
      const retriable = err instanceof HttpError && err.statusCode === 502;
      if (!retriable || attempt + 1 >= MAX_ATTEMPTS) {
        log.error({ err, template: mail.template }, 'mail delivery failed');
        throw err;
      }
      await sleep(backoffDelay(attempt));
    }
  }
}
