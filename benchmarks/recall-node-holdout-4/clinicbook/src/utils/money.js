// Amounts are carried as integer minor units (cents) everywhere except
// at the API edge, where we accept and render decimal strings.

export function toCents(decimalString) {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(String(decimalString).trim());
  if (!match) {
    throw new Error(`Invalid amount: ${decimalString}`);
  }
  const whole = Number.parseInt(match[1], 10);
  const frac = Number.parseInt((match[2] || '').padEnd(2, '0'), 10);
  return whole * 100 + frac;
}

export function formatCents(cents, currency = 'USD') {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

export function applyRateBps(cents, basisPoints) {
  // basis points: 825 = 8.25%
  return Math.round((cents * basisPoints) / 10000);
}
