/** Price per 1,000 units, in integer cents. */
export const PRICE_PER_THOUSAND_CENTS: Record<string, number> = {
  'api.request': 40,
  'storage.gb_hour': 12,
  'export.row': 5,
  'webhook.delivery': 8,
};

export function costInCents(metric: string, units: number): number {
  const per1k = PRICE_PER_THOUSAND_CENTS[metric];
  if (per1k === undefined) {
    throw new Error(`Unknown metric ${metric}`);
  }
  return Math.ceil((units * per1k) / 1000);
}
