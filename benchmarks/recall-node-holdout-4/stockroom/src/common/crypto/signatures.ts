import { createHmac, timingSafeEqual } from 'crypto';

export function hmacHex(secret: string, payload: Buffer | string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function verifyHmacHex(secret: string, payload: Buffer | string, provided: string | undefined): boolean {
  if (!provided) return false;
  const expected = Buffer.from(hmacHex(secret, payload), 'hex');
  const given = Buffer.from(provided, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
