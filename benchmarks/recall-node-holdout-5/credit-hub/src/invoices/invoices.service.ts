import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ConfigService } from '@nestjs/config';
import { DataSource, Repository } from 'typeorm';
import * as path from 'path';
import { Invoice } from './invoice.entity';
import { InvoiceLine } from './invoice-line.entity';
import { FxClient } from './fx.client';
import { Organization } from '../orgs/organization.entity';

export interface InvoiceWithLines extends Invoice {
  lines: InvoiceLine[];
}

interface UsageTotalRow {
  metric: string;
  units: string;
  cost_cents: string;
}

const METRIC_LABELS: Record<string, string> = {
  'api.request': 'API requests',
  'storage.gb_hour': 'Storage (GB-hours)',
  'export.row': 'Exported rows',
  'webhook.delivery': 'Webhook deliveries',
};

@Injectable()
export class InvoicesService {
  constructor(
    @InjectRepository(Invoice) private readonly invoices: Repository<Invoice>,
    @InjectRepository(InvoiceLine) private readonly lines: Repository<InvoiceLine>,
    private readonly dataSource: DataSource,
    private readonly fx: FxClient,
    private readonly config: ConfigService,
  ) {}

  async listForOrg(orgId: string, page: number, pageSize: number): Promise<InvoiceWithLines[]> {
    const take = Math.min(Math.max(pageSize, 1), 50);
    const invoices = await this.invoices.find({
      where: { orgId },
      order: { periodStart: 'DESC' },
      skip: Math.max(page - 1, 0) * take,
      take,
    });
    const result: InvoiceWithLines[] = [];
    for (const invoice of invoices) {
      const lines = await this.lines.find({ where: { invoiceId: invoice.id } });
      result.push({ ...invoice, lines });
    }
    return result;
  }

  async findOne(invoiceId: string): Promise<InvoiceWithLines> {
    const invoice = await this.invoices.findOne({ where: { id: invoiceId } });
    if (!invoice) {
      throw new NotFoundException('Invoice not found');
    }
    const lines = await this.lines.find({ where: { invoiceId: invoice.id } });
    return { ...invoice, lines };
  }

  async pdfPath(orgId: string, invoiceId: string): Promise<string> {
    const invoice = await this.invoices.findOne({ where: { id: invoiceId, orgId } });
    if (!invoice) {
      throw new NotFoundException('Invoice not found');
    }
    const root = path.join(this.config.get<string>('exports.dir')!, '..', 'invoices');
    return path.join(root, invoice.orgId, `${invoice.number}.pdf`);
  }

  async generateForOrg(org: Organization, periodStart: string, periodEnd: string): Promise<Invoice | null> {
    const usage: UsageTotalRow[] = await this.dataSource.query(
      `SELECT metric, SUM(units) AS units, SUM(cost_cents) AS cost_cents
         FROM usage_events
        WHERE org_id = $1 AND occurred_at >= $2 AND occurred_at < $3
        GROUP BY metric`,
      [org.id, periodStart, periodEnd],
    );
    if (usage.length === 0) {
      return null;
    }
    const rate = await this.fx.usdTo(org.currency);

    let total = 0;
    const lineDrafts = usage.map((row) => {
      const amount = (Number(row.cost_cents) / 100) * rate;
      total += amount;
      return {
        description: METRIC_LABELS[row.metric] ?? row.metric,
        quantity: row.units,
        amount: Math.round(amount * 100) / 100,
      };
    });

    return this.dataSource.transaction(async (manager) => {
      const invoice = await manager.save(
        manager.create(Invoice, {
          orgId: org.id,
          number: `CH-${periodStart.slice(0, 7).replace('-', '')}-${org.slug.toUpperCase()}`,
          periodStart,
          periodEnd,
          currency: org.currency,
          total: Math.round(total * 100) / 100,
          status: 'issued',
        }),
      );
      await manager.insert(
        InvoiceLine,
        lineDrafts.map((l) => ({ ...l, invoiceId: invoice.id })),
      );
      return invoice;
    });
  }
}
