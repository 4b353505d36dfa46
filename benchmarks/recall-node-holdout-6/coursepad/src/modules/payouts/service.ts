import type { PrismaClient } from '@prisma/client';
import { config } from '../../config.js';
import { BadRequest, NotFound } from '../../lib/errors.js';
import { assertCents } from '../../lib/money.js';
import { pageArgs, toPage, type PageQuery } from '../../lib/pagination.js';
import { payoutQueue } from '../../jobs/queues.js';

export class PayoutService {
  constructor(private readonly prisma: PrismaClient) {}

  async balance(instructorId: string) {
    const balance = await this.prisma.instructorBalance.findUnique({ where: { instructorId } });
    return { availableCents: balance?.availableCents ?? 0, minPayoutCents: config.minPayoutCents };
  }

  async list(instructorId: string, query: PageQuery) {
    const rows = await this.prisma.payout.findMany({
      where: { instructorId },
      orderBy: { id: 'asc' },
      ...pageArgs(query),
    });
    return toPage(rows, query);
  }

  async get(instructorId: string, payoutId: string) {
    const payout = await this.prisma.payout.findFirst({ where: { id: payoutId, instructorId } });
    if (!payout) throw new NotFound('payout');
    return payout;
  }

  async request(instructorId: string, amountCents: number) {
    assertCents(amountCents);
    if (amountCents < config.minPayoutCents) throw new BadRequest('amount below minimum payout');
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: instructorId }, select: { payoutAccount: true } });
    if (!user.payoutAccount) throw new BadRequest('add a payout account first', 'NO_PAYOUT_ACCOUNT');

    const payout = await this.prisma.$transaction(async (tx) => {
      const balance = await tx.instructorBalance.findUnique({ where: { instructorId } });
      if (!balance || balance.availableCents < amountCents) {
        throw new BadRequest('insufficient balance', 'INSUFFICIENT_BALANCE');
      }
      await tx.instructorBalance.update({
        where: { instructorId },
        data: { availableCents: balance.availableCents - amountCents },
      });
      return tx.payout.create({ data: { instructorId, amountCents } });
    });
    await payoutQueue.add('transfer', { payoutId: payout.id }, { jobId: `payout:${payout.id}`, attempts: 5, backoff: { type: 'exponential', delay: 30_000 } });
    return payout;
  }
}
