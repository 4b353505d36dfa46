import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Wallet } from './wallet.entity';
import { LedgerEntry, LedgerKind } from './ledger-entry.entity';
import { TopUp } from './top-up.entity';
import { PaymentsClient } from '../payments/payments.client';
import { toCents } from '../common/utils/money';

export class InsufficientCreditError extends Error {}

@Injectable()
export class WalletService {
  private readonly logger = new Logger(WalletService.name);

  constructor(
    @InjectRepository(Wallet) private readonly wallets: Repository<Wallet>,
    @InjectRepository(LedgerEntry) private readonly ledger: Repository<LedgerEntry>,
    @InjectRepository(TopUp) private readonly topUps: Repository<TopUp>,
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsClient,
  ) {}

  async getWallet(orgId: string): Promise<Wallet> {
    const wallet = await this.wallets.findOne({ where: { orgId } });
    if (!wallet) {
      throw new NotFoundException('Wallet not found');
    }
    return wallet;
  }

  listLedger(orgId: string, kind?: LedgerKind): Promise<LedgerEntry[]> {
    return this.ledger.find({
      where: kind ? { orgId, kind } : { orgId },
      order: { createdAt: 'DESC' },
    });
  }

  async topUp(orgId: string, userId: string, amount: string, paymentMethodId: string): Promise<TopUp> {
    const amountCents = toCents(amount);
    if (amountCents < 500) {
      throw new BadRequestException('Minimum top-up is 5.00');
    }
    const wallet = await this.getWallet(orgId);
    const topUp = await this.topUps.save(
      this.topUps.create({ orgId, amountCents, status: 'pending', requestedBy: userId }),
    );
    const charge = await this.payments.createCharge({
      amountCents,
      currency: wallet.currency,
      paymentMethodId,
      description: `credit-hub top-up ${topUp.id}`,
      metadata: { orgId, topUpId: topUp.id },
    });
    topUp.chargeId = charge.id;
    topUp.status = charge.status === 'succeeded' ? 'succeeded' : 'pending';
    await this.topUps.save(topUp);
    if (topUp.status === 'succeeded') {
      await this.creditForTopUp(topUp.id);
    }
    return topUp;
  }

  /** Called from the synchronous path and from the payments webhook; applies a top-up at most once. */
  async creditForTopUp(topUpId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const topUp = await manager.findOne(TopUp, {
        where: { id: topUpId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!topUp) {
        throw new NotFoundException('Top-up not found');
      }
      const already = await manager.count(LedgerEntry, { where: { kind: 'top_up', referenceId: topUp.id } });
      if (already > 0) {
        return;
      }
      topUp.status = 'succeeded';
      await manager.save(topUp);
      await this.applyCredit(manager, topUp.orgId, topUp.amountCents, 'top_up', topUp.id, 'Card top-up');
    });
  }

  async refundTopUp(orgId: string, topUpId: string, reason?: string): Promise<TopUp> {
    const topUp = await this.topUps.findOne({ where: { id: topUpId, orgId } });
    if (!topUp || !topUp.chargeId) {
      throw new NotFoundException('Top-up not found');
    }
    if (topUp.status !== 'succeeded') {
      throw new ConflictException('Only succeeded top-ups can be refunded');
    }
    await this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Wallet)
        .set({ balanceCents: () => 'balance_cents - :amount' })
        .where('org_id = :orgId AND balance_cents >= :amount', { orgId, amount: topUp.amountCents })
        .setParameters({ amount: topUp.amountCents })
        .execute();
      if (!result.affected) {
        throw new ConflictException('Credit from this top-up has already been spent');
      }
      await manager.update(TopUp, { id: topUp.id }, { status: 'refunded' });
      await manager.insert(LedgerEntry, {
        orgId,
        kind: 'refund',
        amountCents: -topUp.amountCents,
        balanceAfterCents: await this.balanceIn(manager, orgId),
        memo: reason ?? 'Top-up refunded',
        referenceId: topUp.id,
      });
    });
    await this.payments.refundCharge(topUp.chargeId, topUp.amountCents, `refund-${topUp.id}`);
    topUp.status = 'refunded';
    return topUp;
  }

  async spend(
    orgId: string,
    amountCents: number,
    memo: string,
    referenceId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const wallet = await manager.findOne(Wallet, { where: { orgId } });
    if (!wallet) {
      throw new NotFoundException('Wallet not found');
    }
    if (amountCents === 0) {
      return wallet.balanceCents;
    }
    if (wallet.balanceCents < amountCents) {
      throw new InsufficientCreditError(`Balance too low for org ${orgId}`);
    }
    wallet.balanceCents = wallet.balanceCents - amountCents;
    await manager.save(wallet);
    await manager.insert(LedgerEntry, {
      orgId,
      kind: 'usage',
      amountCents: -amountCents,
      balanceAfterCents: wallet.balanceCents,
      memo,
      referenceId,
    });
    return wallet.balanceCents;
  }

  async applyCredit(
    manager: EntityManager,
    orgId: string,
    amountCents: number,
    kind: LedgerKind,
    referenceId: string,
    memo: string,
  ): Promise<void> {
    await manager.increment(Wallet, { orgId }, 'balanceCents', amountCents);
    await manager.insert(LedgerEntry, {
      orgId,
      kind,
      amountCents,
      balanceAfterCents: await this.balanceIn(manager, orgId),
      memo,
      referenceId,
    });
  }

  private async balanceIn(manager: EntityManager, orgId: string): Promise<number> {
    const wallet = await manager.findOneOrFail(Wallet, { where: { orgId } });
    return wallet.balanceCents;
  }
}
