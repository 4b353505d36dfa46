import type { PrismaClient } from '@prisma/client';
import type Stripe from 'stripe';
import type { Logger } from '../lib/logger';
import { conflict, notFound } from '../lib/errors';

/** 1 cent buys 1000 credits. */
export const CREDITS_PER_CENT = 1000;

export class WalletService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly stripe: Stripe,
    private readonly logger: Logger,
  ) {}

  async getWallet(workspaceId: string) {
    const wallet = await this.prisma.wallet.findUnique({
      where: { workspaceId },
      select: { id: true, balance: true, updatedAt: true },
    });
    if (!wallet) throw notFound('Wallet');
    return wallet;
  }

  async ledger(workspaceId: string, limit: number) {
    const wallet = await this.getWallet(workspaceId);
    return this.prisma.ledgerEntry.findMany({
      where: { walletId: wallet.id },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  async createTopUpSession(workspaceId: string, amountCents: number, requestId: string) {
    const ws = await this.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { stripeCustomerId: true } });
    if (!ws?.stripeCustomerId) throw conflict('Workspace has no billing customer yet');
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        customer: ws.stripeCustomerId,
        line_items: [
          {
            price_data: { currency: 'usd', unit_amount: amountCents, product_data: { name: 'Meterline credits' } },
            quantity: 1,
          },
        ],
        metadata: { workspaceId, amountCents: String(amountCents) },
        success_url: 'https://app.meterline.io/billing?topup=ok',
        cancel_url: 'https://app.meterline.io/billing?topup=cancelled',
      },
      { idempotencyKey: `topup:${workspaceId}:${requestId}` },
    );
    return { checkoutUrl: session.url };
  }

  /** Credits a completed top-up. Balance change and ledger entry commit together. */
  async applyTopUp(workspaceId: string, amountCents: number, reference: string) {
    const credits = amountCents * CREDITS_PER_CENT;
    const [wallet] = await this.prisma.$transaction([
      this.prisma.wallet.upsert({
        where: { workspaceId },
        create: { workspaceId, balance: credits },
        update: { balance: { increment: credits } },
      }),
      this.prisma.ledgerEntry.create({
        data: { wallet: { connect: { workspaceId } }, amount: credits, reason: 'top_up', reference },
      }),
    ]);
    this.logger.info({ workspaceId, credits, reference }, 'wallet topped up');
    return wallet;
  }

  /** Consumes credits for metered usage only if the balance covers it. */
  async tryConsume(workspaceId: string, credits: number, reference: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const res = await tx.wallet.updateMany({
        where: { workspaceId, balance: { gte: credits } },
        data: { balance: { decrement: credits } },
      });
      if (res.count === 0) return false;
      await tx.ledgerEntry.create({
        data: { wallet: { connect: { workspaceId } }, amount: -credits, reason: 'usage', reference },
      });
      return true;
    });
  }

  /** Pays an amount out of the wallet (used when settling invoices from prepaid credit). */
  async debit(workspaceId: string, credits: number, reference: string) {
    const wallet = await this.prisma.wallet.findUnique({ where: { workspaceId } });
    if (!wallet) throw notFound('Wallet');
    if (wallet.balance < credits) throw conflict('Insufficient credit');
    await this.prisma.wallet.update({
      where: { id: wallet.id },
      data: { balance: wallet.balance - credits },
    });
    await this.prisma.ledgerEntry.create({ data: { walletId: wallet.id, amount: -credits, reason: 'invoice', reference } });
  }
}
