export interface PriceListRow {
  sku: string;
  unitCostCents: number;
  minQty: number;
}

const HEADER = ['sku', 'unit_cost', 'min_qty'];

function parseCost(raw: string): number {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(raw.trim());
  if (!match) throw new Error(`bad unit_cost "${raw}"`);
  return parseInt(match[1], 10) * 100 + parseInt((match[2] ?? '').padEnd(2, '0'), 10);
}

export function parsePriceListCsv(text: string, maxRows = 20_000): PriceListRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return [];
  const header = lines[0].split(',').map((h) => h.trim().toLowerCase());
  if (HEADER.some((h, i) => header[i] !== h)) {
    throw new Error('Unexpected price list header');
  }
  return lines.slice(1, maxRows + 1).map((line) => {
    const [sku, cost, minQty] = line.split(',');
    return { sku: sku.trim(), unitCostCents: parseCost(cost), minQty: parseInt(minQty, 10) || 1 };
  });
}
