import type { PrismaClient } from '@prisma/client';
import type { Redis } from '../lib/redis';
import type { Logger } from '../lib/logger';
import type { UsageRecordInput } from '../http/schemas';

const QUEUE_KEY = 'usage:ingest';
const IDEMPOTENCY_TTL_SECONDS = 48 * 3600;

interface QueuedRecord {
  workspaceId: string;
  meter: string;
  quantity: number;
  occurredAt: string;
  idempotencyKey: string;
}

export class UsageService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  /** Accepts a batch of usage events; duplicates (same idempotency key) are dropped. */
  async record(workspaceId: string, records: UsageRecordInput[]) {
    const dedupe = this.redis.multi();
    for (const r of records) {
      dedupe.set(`usage:idem:${workspaceId}:${r.idempotencyKey}`, '1', 'EX', IDEMPOTENCY_TTL_SECONDS, 'NX');
    }
    const results = (await dedupe.exec()) ?? [];
    const accepted = records.filter((_, i) => results[i]?.[1] === 'OK');
    if (accepted.length > 0) {
      const payloads = accepted.map((r) =>
        JSON.stringify({ workspaceId, meter: r.meter, quantity: r.quantity, occurredAt: r.occurredAt.toISOString(), idempotencyKey: r.idempotencyKey }),
      );
      await this.redis.rpush(QUEUE_KEY, ...payloads);
    }
    return { accepted: accepted.length, duplicates: records.length - accepted.length };
  }

  /** Moves queued usage from Redis into Postgres. Called by the worker every few seconds. */
  async flush(batchSize = 1000): Promise<number> {
    const raw = await this.redis.lpop(QUEUE_KEY, batchSize);
    if (!raw || raw.length === 0) return 0;
    const rows = raw.map((line) => JSON.parse(line) as QueuedRecord);
    try {
      await this.prisma.usageRecord.createMany({
        data: rows.map((r) => ({
          workspaceId: r.workspaceId,
          meterKey: r.meter,
          quantity: r.quantity,
          occurredAt: new Date(r.occurredAt),
          idempotencyKey: r.idempotencyKey,
        })),
        skipDuplicates: true,
      });
    } catch {
      // duplicates are already skipped by the unique index; nothing else to do
    }
    this.logger.debug({ count: rows.length }, 'usage flushed');
    return rows.length;
  }
}
