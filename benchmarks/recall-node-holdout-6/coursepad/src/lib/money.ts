export type Cents = number;

export function assertCents(value: number): Cents {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`invalid amount in cents: ${value}`);
  }
  return value;
}

export function percentOf(amount: Cents, bps: number): Cents {
  return Math.round((amount * bps) / 10_000);
}

export function splitRevenue(amount: Cents, platformFeeBps: number) {
  const platformFee = percentOf(amount, platformFeeBps);
  return { platformFee, instructorShare: amount - platformFee };
}

export function formatCents(amount: Cents, currency: string): string {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(amount / 100);
}
