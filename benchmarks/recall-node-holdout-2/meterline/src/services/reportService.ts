import { Prisma, PrismaClient } from '@prisma/client';
import type { Redis } from '../lib/redis';
import type { Logger } from '../lib/logger';
import { cacheKey } from '../lib/crypto';

export interface TimeseriesQuery {
  meter: string;
  from: Date;
  to: Date;
  granularity: string;
}

export interface TopMetersQuery {
  from: Date;
  to: Date;
  sort: 'quantity' | 'records';
  limit: number;
}

const SORT_COLUMNS: Record<TopMetersQuery['sort'], string> = {
  quantity: 'quantity',
  records: 'records',
};

const REPORT_TTL_SECONDS = 300;

export class ReportService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async timeseries(workspaceId: string, q: TimeseriesQuery) {
    const rows = await this.prisma.$queryRawUnsafe<Array<{ bucket: Date; total: bigint }>>(
      `SELECT date_trunc('${q.granularity}', "occurredAt") AS bucket, SUM("quantity")::bigint AS total
         FROM "UsageRecord"
        WHERE "workspaceId" = $1 AND "meterKey" = $2 AND "occurredAt" >= $3 AND "occurredAt" < $4
        GROUP BY 1 ORDER BY 1`,
      workspaceId,
      q.meter,
      q.from,
      q.to,
    );
    return rows.map((r) => ({ bucket: r.bucket, total: Number(r.total) }));
  }

  async topMeters(workspaceId: string, q: TopMetersQuery) {
    const key = `report:top:${cacheKey([workspaceId, q.from, q.to, q.sort, q.limit])}`;
    try {
      const cached = await this.redis.get(key);
      if (cached) return JSON.parse(cached) as unknown;
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'report cache unavailable; reading from database');
    }
    const orderBy = Prisma.raw(`"${SORT_COLUMNS[q.sort]}"`);
    const rows = await this.prisma.$queryRaw<Array<{ meterKey: string; quantity: bigint; records: number }>>`
      SELECT "meterKey", SUM("quantity")::bigint AS quantity, COUNT(*)::int AS records
        FROM "UsageRecord"
       WHERE "workspaceId" = ${workspaceId} AND "occurredAt" >= ${q.from} AND "occurredAt" < ${q.to}
       GROUP BY "meterKey"
       ORDER BY ${orderBy} DESC
       LIMIT ${q.limit}`;
    const result = rows.map((r) => ({ meterKey: r.meterKey, quantity: Number(r.quantity), records: r.records }));
    await this.redis.set(key, JSON.stringify(result), 'EX', REPORT_TTL_SECONDS);
    return result;
  }
}
