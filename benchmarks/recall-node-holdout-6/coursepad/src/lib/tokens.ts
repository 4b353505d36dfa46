import { createHash, randomBytes, randomInt } from 'node:crypto';
import bcrypt from 'bcryptjs';

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newRedeemCode(length = 12): string {
  let code = '';
  for (let i = 0; i < length; i += 1) {
    code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  }
  return code;
}

export function newResetCode(): string {
  return String(Math.floor(100000 + Math.random() * 900000));
}

export function etagFor(parts: Array<string | number>): string {
  return `W/"${createHash('md5').update(parts.join('|')).digest('hex')}"`;
}

const COST = 12;

export async function hashPassword(plain: string): Promise<string> {
  return bcrypt.hash(plain, COST);
}

export function verifyPassword(plain: string, hash: string): boolean {
  return bcrypt.compareSync(plain, hash);
}

export const DUMMY_HASH = '$2a$12$zt0NDDhMmsw/IwtH6ojJhebPeIcY0jutnLQCZiyjaNjL6pGxi5Bqe';
