import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { Item } from '../items/item.entity';
import { Supplier } from '../suppliers/supplier.entity';
import { PurchaseSuggestion } from '../suppliers/purchase-suggestion.entity';
import { parsePriceListCsv, PriceListRow } from '../suppliers/price-list.parser';

interface LowStockRow {
  tenant_id: string;
  item_id: string;
  supplier_id: string | null;
  available: number;
  reorder_point: number;
  reorder_qty: number;
}

const LOCK_KEY = 884_201;

@Injectable()
export class ReplenishmentJob {
  private readonly logger = new Logger(ReplenishmentJob.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Item) private readonly items: Repository<Item>,
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    @InjectRepository(PurchaseSuggestion) private readonly suggestions: Repository<PurchaseSuggestion>,
  ) {}

  @Cron(process.env.LOW_STOCK_CRON ?? '0 */30 * * * *', { name: 'replenishment' })
  async run() {
    // Only one replica runs the sweep: transaction-scoped advisory lock.
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK_KEY]);
      if (!locked) {
        this.logger.debug('replenishment sweep already running elsewhere');
        return;
      }
      const lowStock: LowStockRow[] = await manager.query(
        `SELECT i.tenant_id, i.id AS item_id, i.supplier_id,
                SUM(sl.on_hand - sl.reserved)::int AS available,
                i.reorder_point, i.reorder_qty
           FROM items i
           JOIN stock_levels sl ON sl.item_id = i.id
          WHERE i.active = true AND i.reorder_qty > 0
          GROUP BY i.id
         HAVING SUM(sl.on_hand - sl.reserved) < i.reorder_point
          LIMIT 5000`,
      );
      await this.createSuggestions(lowStock);
    });
  }

  private async createSuggestions(lowStock: LowStockRow[]) {
    const priceCache = new Map<string, Map<string, PriceListRow>>();
    let created = 0;

    for (const row of lowStock) {
      const open = await this.suggestions.findOne({
        where: { tenantId: row.tenant_id, itemId: row.item_id, status: 'open' },
      });
      if (open) continue;

      const item = await this.items.findOne({ where: { id: row.item_id } });
      let quotedUnitCostCents: number | null = null;
      if (row.supplier_id && item) {
        const prices = await this.priceListFor(row.supplier_id, priceCache);
        quotedUnitCostCents = prices.get(item.sku)?.unitCostCents ?? null;
      }

      await this.suggestions.insert({
        tenantId: row.tenant_id,
        itemId: row.item_id,
        supplierId: row.supplier_id,
        quantity: Math.max(row.reorder_qty, row.reorder_point - row.available),
        quotedUnitCostCents,
      });
      created++;
    }
    this.logger.log(`replenishment: ${created} suggestions from ${lowStock.length} low-stock items`);
  }

  private async priceListFor(supplierId: string, cache: Map<string, Map<string, PriceListRow>>) {
    const cached = cache.get(supplierId);
    if (cached) return cached;

    const byId = new Map<string, PriceListRow>();
    cache.set(supplierId, byId);
    const supplier = await this.suppliers.findOne({ where: { id: supplierId } });
    if (!supplier?.priceListUrl) return byId;

    try {
      const response = await fetch(supplier.priceListUrl, { headers: { Accept: 'text/csv' } });
      if (!response.ok) {
        this.logger.warn(`price list for ${supplierId} returned ${response.status}`);
        return byId;
      }
      for (const row of parsePriceListCsv(await response.text())) {
        byId.set(row.sku, row);
      }
    } catch (err) {
      this.logger.warn(`price list for ${supplierId} failed: ${(err as Error).message}`);
    }
    return byId;
  }

  async dismissStale(tenantId: string, itemIds: string[]) {
    if (itemIds.length === 0) return 0;
    const result = await this.suggestions.update(
      { tenantId, itemId: In(itemIds), status: 'open' },
      { status: 'dismissed' },
    );
    return result.affected ?? 0;
  }
}
