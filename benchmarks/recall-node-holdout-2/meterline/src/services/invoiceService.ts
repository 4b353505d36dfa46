import { Prisma, PrismaClient } from '@prisma/client';
import axios from 'axios';
import type Stripe from 'stripe';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { conflict, notFound } from '../lib/errors';
import { CREDITS_PER_CENT, WalletService } from './walletService';
import type { WebhookService } from './webhookService';

interface UsageTotal {
  meterKey: string;
  quantity: number;
}

export class InvoiceService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly stripe: Stripe,
    private readonly wallets: WalletService,
    private readonly webhooks: WebhookService,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  async list(workspaceId: string) {
    return this.prisma.invoice.findMany({
      where: { workspaceId },
      include: { lines: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  async get(invoiceId: string) {
    const invoice = await this.prisma.invoice.findUnique({
      where: { id: invoiceId },
      include: { lines: true },
    });
    if (!invoice) throw notFound('Invoice');
    return invoice;
  }

  private async usageTotals(workspaceId: string, from: Date, to: Date): Promise<UsageTotal[]> {
    const groups = await this.prisma.usageRecord.groupBy({
      by: ['meterKey'],
      where: { workspaceId, occurredAt: { gte: from, lt: to } },
      _sum: { quantity: true },
    });
    return groups.map((g) => ({ meterKey: g.meterKey, quantity: g._sum.quantity ?? 0 }));
  }

  async generate(workspaceId: string, periodStart: Date, periodEnd: Date) {
    const totals = await this.usageTotals(workspaceId, periodStart, periodEnd);
    const lines: Prisma.InvoiceLineCreateWithoutInvoiceInput[] = [];
    for (const total of totals) {
      const price = await this.prisma.price.findFirst({
        where: { meter: { workspaceId, key: total.meterKey }, effectiveFrom: { lte: periodEnd } },
        orderBy: { effectiveFrom: 'desc' },
      });
      const unitAmount = price?.unitAmount ?? 0;
      lines.push({
        meterKey: total.meterKey,
        quantity: total.quantity,
        unitAmount,
        amountCents: Math.ceil((total.quantity * unitAmount) / CREDITS_PER_CENT),
      });
    }
    const totalCents = lines.reduce((sum, l) => sum + l.amountCents, 0);
    const number = `INV-${periodEnd.toISOString().slice(0, 7).replace('-', '')}-${workspaceId.slice(-6).toUpperCase()}`;
    return this.prisma.invoice.create({
      data: { workspaceId, number, periodStart, periodEnd, totalCents, lines: { create: lines } },
      include: { lines: true },
    });
  }

  async preview(workspaceId: string, currency: string) {
    const now = new Date();
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const totals = await this.usageTotals(workspaceId, start, now);
    const { data } = await axios.get<{ rates: Record<string, number> }>(this.config.FX_API_URL, {
      params: { base: 'usd', symbols: currency },
    });
    const rate = data.rates[currency] ?? 1;
    return { currency, rate, meters: totals };
  }

  async finalize(workspaceId: string, invoiceId: string) {
    const invoice = await this.prisma.invoice.findFirst({ where: { id: invoiceId, workspaceId } });
    if (!invoice) throw notFound('Invoice');
    if (invoice.status !== 'DRAFT') throw conflict('Invoice already finalized');
    const ws = await this.prisma.workspace.findUniqueOrThrow({ where: { id: workspaceId } });
    const stripeInvoice = await this.stripe.invoices.create(
      { customer: ws.stripeCustomerId ?? undefined, collection_method: 'send_invoice', days_until_due: 14, metadata: { invoiceId } },
      { idempotencyKey: `finalize:${invoiceId}` },
    );
    const updated = await this.prisma.$transaction(async (tx) => {
      const res = await tx.invoice.updateMany({
        where: { id: invoiceId, status: 'DRAFT' },
        data: { status: 'OPEN', stripeRef: stripeInvoice.id },
      });
      if (res.count === 0) throw conflict('Invoice already finalized');
      await this.webhooks.enqueue(tx, workspaceId, 'invoice.created', { invoiceId, number: invoice.number });
      return tx.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
    });
    return updated;
  }

  async payFromWallet(workspaceId: string, invoiceId: string) {
    const invoice = await this.prisma.invoice.findFirst({ where: { id: invoiceId, workspaceId, status: 'OPEN' } });
    if (!invoice) throw notFound('Open invoice');
    const claimed = await this.prisma.invoice.updateMany({
      where: { id: invoice.id, status: 'OPEN' },
      data: { status: 'PAID' },
    });
    if (claimed.count === 0) throw conflict('Invoice is already being paid');
    try {
      await this.wallets.debit(workspaceId, invoice.totalCents * CREDITS_PER_CENT, `invoice:${invoice.id}`);
    } catch (err) {
      await this.prisma.invoice.update({ where: { id: invoice.id }, data: { status: 'OPEN' } });
      throw err;
    }
    this.logger.info({ workspaceId, invoiceId }, 'invoice paid from wallet');
    return { id: invoice.id, status: 'PAID' as const };
  }
}
