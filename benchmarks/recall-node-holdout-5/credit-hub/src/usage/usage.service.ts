import { HttpException, HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { UsageEvent } from './usage-event.entity';
import { UsageEventDto, UsageReportQuery, METRICS } from './dto/usage.dto';
import { costInCents } from './pricing';
import { InsufficientCreditError, WalletService } from '../wallet/wallet.service';

const TRUNC_UNITS: Record<string, string> = { hour: 'hour', day: 'day', month: 'month' };

export interface UsageBucket {
  bucket: string;
  metric: string;
  units: number;
  costCents: number;
}

@Injectable()
export class UsageService {
  private readonly logger = new Logger(UsageService.name);

  constructor(
    @InjectRepository(UsageEvent) private readonly events: Repository<UsageEvent>,
    private readonly wallet: WalletService,
    private readonly dataSource: DataSource,
  ) {}

  async ingest(orgId: string, batchId: string, input: UsageEventDto[]): Promise<{ accepted: number; duplicates: number; balanceCents: number }> {
    const fresh: UsageEvent[] = [];
    let duplicates = 0;
    for (const e of input) {
      const existing = await this.events.findOne({ where: { orgId, eventId: e.eventId } });
      if (existing) {
        duplicates++;
        continue;
      }
      fresh.push(
        this.events.create({
          orgId,
          eventId: e.eventId,
          metric: e.metric,
          units: e.units,
          costCents: costInCents(e.metric, e.units),
          occurredAt: new Date(e.occurredAt),
        }),
      );
    }
    if (fresh.length === 0) {
      return { accepted: 0, duplicates, balanceCents: (await this.wallet.getWallet(orgId)).balanceCents };
    }

    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(UsageEvent)
        .values(fresh)
        .orIgnore()
        .returning(['id', 'cost_cents'])
        .execute();
      const rows: Array<{ id: string; cost_cents: string }> = inserted.raw ?? [];
      const total = rows.reduce((sum, r) => sum + Number(r.cost_cents), 0);
      duplicates += fresh.length - rows.length;
      try {
        const balanceCents = await this.wallet.spend(orgId, total, `usage batch ${batchId}`, batchId, manager);
        return { accepted: rows.length, duplicates, balanceCents };
      } catch (err) {
        if (err instanceof InsufficientCreditError) {
          throw new HttpException('Insufficient credit', HttpStatus.PAYMENT_REQUIRED);
        }
        throw err;
      }
    });
  }

  async report(orgId: string, q: UsageReportQuery): Promise<UsageBucket[]> {
    const unit = TRUNC_UNITS[q.granularity ?? 'day'];
    const qb = this.events
      .createQueryBuilder('e')
      .select(`date_trunc('${unit}', e.occurred_at)`, 'bucket')
      .addSelect('e.metric', 'metric')
      .addSelect('SUM(e.units)::int', 'units')
      .addSelect('SUM(e.cost_cents)::bigint', 'costCents')
      .where('e.org_id = :orgId', { orgId })
      .andWhere('e.occurred_at >= :from AND e.occurred_at < :to', { from: q.from, to: q.to });
    if (q.metric) {
      qb.andWhere(`e.metric LIKE '${q.metric}%'`);
    }
    return qb.groupBy('bucket').addGroupBy('e.metric').orderBy('bucket', 'ASC').limit(5000).getRawMany();
  }

  async summary(orgId: string, since: Date): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const metric of METRICS) {
      out[metric] = await this.events
        .createQueryBuilder('e')
        .where('e.org_id = :orgId AND e.metric = :metric AND e.occurred_at >= :since', { orgId, metric, since })
        .getCount();
    }
    return out;
  }
}
