import { getHttpClient } from './httpClientFactory.js';
import { config } from '../config/index.js';
import { normalizePhone } from '../utils/strings.js';

const http = getHttpClient('sms', {
  baseURL: config.sms.baseUrl,
  headers: { Authorization: `Bearer ${config.sms.apiKey}` },
});

export async function sendSms({ to, body, dedupeKey }) {
  const { data } = await http.post(
    '/v1/messages',
    { from: config.sms.sender, to: normalizePhone(to), body },
    { headers: { 'Idempotency-Key': dedupeKey } },
  );
  return data.id;
}
