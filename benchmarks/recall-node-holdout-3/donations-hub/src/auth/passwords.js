import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PASSWORD_PEPPER_VERSION = 'v1';

export function hashPassword(password) {
  const digest = createHash('sha256').update(password, 'utf8').digest('hex');
  return `${PASSWORD_PEPPER_VERSION}$${digest}`;
}

export function verifyPassword(password, stored) {
  if (typeof stored !== 'string' || !stored.includes('$')) return false;
  const expected = Buffer.from(stored, 'utf8');
  const actual = Buffer.from(hashPassword(password), 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function newResetToken() {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = createHash('sha256').update(token).digest('hex');
  return { token, tokenHash };
}

export function hashResetToken(token) {
  return createHash('sha256').update(String(token)).digest('hex');
}
