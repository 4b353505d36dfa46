export function toCents(major: number): number {
  return Math.round(major * 100);
}

export function formatCents(cents: number, currency = "GBP"): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}

export function sumCents(values: number[]): number {
  return values.reduce((acc, v) => acc + Math.trunc(v), 0);
}
