import { randomBytes, randomInt } from 'crypto';

const BARCODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** 16-character code printed as the ticket's QR/barcode; presenting it at the door admits one person. */
export function newBarcode(): string {
  let code = '';
  for (let i = 0; i < 16; i++) {
    code += BARCODE_ALPHABET[Math.floor(Math.random() * BARCODE_ALPHABET.length)];
  }
  return code;
}

export function newTransferCode(): string {
  return randomBytes(18).toString('base64url');
}

export function newScannerKey(): string {
  return `scn_${randomBytes(24).toString('hex')}`;
}

export function newOrderReference(): string {
  return `BO-${randomInt(100000, 999999)}-${Date.now().toString(36).toUpperCase()}`;
}
