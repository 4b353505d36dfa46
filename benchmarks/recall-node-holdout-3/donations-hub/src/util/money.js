const AMOUNT_RE = /^(\d{1,7})(?:[.,](\d{1,2}))?$/;

/** Parses a user-entered amount such as "25", "25.5" or "25,50" into integer cents. */
export function parseAmountToCents(input) {
  const match = AMOUNT_RE.exec(String(input ?? '').trim());
  if (!match) return null;
  const whole = Number.parseInt(match[1], 10);
  const fraction = Number.parseInt((match[2] ?? '0').padEnd(2, '0'), 10);
  return whole * 100 + fraction;
}

export function platformFee(amountCents, feeBps) {
  return Math.round((amountCents * feeBps) / 10_000);
}

export function formatCents(cents, currency) {
  return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(cents / 100);
}
