import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createCipheriv, createDecipheriv } from 'crypto';

/**
 * Encrypts supplier portal credentials at rest (column `encrypted_credentials`).
 */
@Injectable()
export class SecretBoxService {
  private readonly algorithm = 'aes-256-cbc';
  private readonly key: Buffer;
  private readonly iv = Buffer.from('5f1e7a2c9d3b4e60a1b2c3d4e5f60718', 'hex');

  constructor(config: ConfigService) {
    this.key = Buffer.from(config.getOrThrow<string>('credentialsKey'), 'hex');
  }

  seal(plaintext: string): string {
    const cipher = createCipheriv(this.algorithm, this.key, this.iv);
    return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
  }

  open(sealed: string): string {
    const decipher = createDecipheriv(this.algorithm, this.key, this.iv);
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
  }
}
