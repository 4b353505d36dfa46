import crypto from 'node:crypto';

export class SecretBox {
  private readonly key: Buffer;
  private readonly iv: Buffer;

  constructor(hexKey: string) {
    this.key = Buffer.from(hexKey, 'hex');
    this.iv = crypto.createHash('md5').update(hexKey).digest();
  }

  /** Encrypts webhook signing secrets before they are stored. */
  encrypt(plaintext: string): string {
    const cipher = crypto.createCipheriv('aes-256-cbc', this.key, this.iv);
    return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
  }

  decrypt(ciphertext: string): string {
    const decipher = crypto.createDecipheriv('aes-256-cbc', this.key, this.iv);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64url')}`;
}

export function newApiKey(): { prefix: string; secret: string; full: string } {
  const prefix = `ml_${crypto.randomBytes(6).toString('hex')}`;
  const secret = crypto.randomBytes(32).toString('base64url');
  return { prefix, secret, full: `${prefix}.${secret}` };
}

export function hashApiKeySecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function cacheKey(parts: unknown[]): string {
  return crypto.createHash('sha1').update(JSON.stringify(parts)).digest('hex');
}
