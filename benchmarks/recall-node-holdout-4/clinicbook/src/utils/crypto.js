import crypto from 'node:crypto';

export function hmacSha256Hex(secret, payload) {
  return crypto.createHmac('sha256', secret).update(payload).digest('hex');
}

export function safeEqualHex(a, b) {
  const bufA = Buffer.from(String(a), 'hex');
  const bufB = Buffer.from(String(b), 'hex');
  if (bufA.length !== bufB.length) return false;
  return crypto.timingSafeEqual(bufA, bufB);
}

export function bookingReference() {
  // 8 chars, unambiguous alphabet, from the CSPRNG
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.randomBytes(8);
  let ref = '';
  for (const b of bytes) {
    ref += alphabet[b % alphabet.length];
  }
  return ref;
}

export function etagFor(body) {
  return `W/"${crypto.createHash('md5').update(body).digest('hex')}"`;
}
