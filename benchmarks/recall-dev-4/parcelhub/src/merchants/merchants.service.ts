import { HttpService } from '@nestjs/axios';
import { BadRequestException, ConflictException, Injectable, Logger } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { createHash, createHmac, randomBytes } from 'crypto';
import { firstValueFrom } from 'rxjs';
import { PrismaService } from '../prisma.service';

const PROFILE_SELECT = {
  id: true,
  name: true,
  plan: true,
  creditBalance: true,
  codBalance: true,
  webhookUrl: true,
  suspended: true,
} satisfies Prisma.MerchantSelect;

@Injectable()
export class MerchantsService {
  private readonly logger = new Logger(MerchantsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly http: HttpService,
  ) {}

  profile(merchantId: string) {
    return this.prisma.merchant.findUniqueOrThrow({ where: { id: merchantId }, select: PROFILE_SELECT });
  }

  update(merchantId: string, data: Prisma.MerchantUpdateInput) {
    return this.prisma.merchant.update({ where: { id: merchantId }, data, select: PROFILE_SELECT });
  }

  async setWebhookEndpoint(merchantId: string, url: string) {
    const secret = randomBytes(24).toString('hex');
    const body = JSON.stringify({ type: 'endpoint.verification', sentAt: new Date().toISOString() });
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const response = await firstValueFrom(
      this.http.post(url, body, {
        headers: { 'Content-Type': 'application/json', 'X-ParcelHub-Signature': signature },
        validateStatus: () => true,
        responseType: 'text',
      }),
    );
    if (response.status >= 300) {
      throw new BadRequestException({
        message: 'Endpoint did not accept the verification ping',
        status: response.status,
        body: String(response.data).slice(0, 2000),
      });
    }
    await this.prisma.merchant.update({ where: { id: merchantId }, data: { webhookUrl: url, webhookSecret: secret } });
    return { webhookUrl: url, secret };
  }

  async rotateApiKey(merchantId: string) {
    const raw = `ph_live_${randomBytes(32).toString('base64url')}`;
    await this.prisma.merchant.update({
      where: { id: merchantId },
      data: { apiKeyHash: createHash('sha256').update(raw).digest('hex') },
    });
    return { apiKey: raw };
  }

  ledger(merchantId: string, limit: number, before?: Date) {
    return this.prisma.ledgerEntry.findMany({
      where: { merchantId, ...(before ? { createdAt: { lt: before } } : {}) },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
  }

  async withdrawCod(merchantId: string, amount: Prisma.Decimal) {
    const merchant = await this.prisma.merchant.findUniqueOrThrow({ where: { id: merchantId } });
    if (!merchant.payoutIban) {
      throw new BadRequestException('No payout account on file');
    }
    if (merchant.codBalance.lt(amount)) {
      throw new ConflictException('Amount exceeds the collected cash-on-delivery balance');
    }
    await this.prisma.merchant.update({
      where: { id: merchantId },
      data: { codBalance: merchant.codBalance.minus(amount) },
    });
    await this.prisma.ledgerEntry.create({ data: { merchantId, kind: 'cod_withdrawal', amount: amount.neg() } });
    this.logger.log(`merchant ${merchantId} withdrew ${amount.toFixed(2)} COD`);
    return { status: 'scheduled' };
  }

  async spendCredit(merchantId: string, amount: Prisma.Decimal) {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.merchant.updateMany({
        where: { id: merchantId, creditBalance: { gte: amount } },
        data: { creditBalance: { decrement: amount } },
      });
      if (updated.count === 0) {
        throw new ConflictException('Insufficient credit');
      }
      return tx.ledgerEntry.create({ data: { merchantId, kind: 'credit_spend', amount: amount.neg() } });
    });
  }
}
