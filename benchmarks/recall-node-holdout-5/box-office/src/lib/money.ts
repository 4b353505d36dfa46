import { config } from '../config';

/** Amounts are integer cents everywhere except where legacy numeric columns are read. */
export function feeCents(subtotalCents: number): number {
  return Math.round((subtotalCents * config.platformFeeBps) / 10_000) + config.fixedFeeCents;
}

export function parseCents(value: string | number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  if (!Number.isSafeInteger(n)) {
    throw new Error(`not an integer cent amount: ${value}`);
  }
  return n;
}

export function centsToDisplay(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
