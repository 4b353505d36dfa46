const DECIMAL = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

export function toCents(amount: string): number {
  const match = DECIMAL.exec(amount.trim());
  if (!match) {
    throw new Error(`invalid money amount: ${amount}`);
  }
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
