/** All wallet and ledger amounts are integer minor units (cents). */
export function toCents(major: string): number {
  if (!/^\d{1,9}(\.\d{1,2})?$/.test(major)) {
    throw new Error(`Invalid amount: ${major}`);
  }
  const [whole, fraction = ''] = major.split('.');
  return parseInt(whole, 10) * 100 + parseInt(fraction.padEnd(2, '0'), 10);
}

export function formatCents(cents: number, currency = 'USD'): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${currency} ${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const bigintTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? 0 : parseInt(value, 10)),
};
