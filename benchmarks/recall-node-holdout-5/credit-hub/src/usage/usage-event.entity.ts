import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../common/utils/money';

@Entity({ name: 'usage_events' })
@Index(['orgId', 'eventId'], { unique: true })
@Index(['orgId', 'occurredAt'])
export class UsageEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @Column({ name: 'event_id', type: 'varchar', length: 64 })
  eventId: string;

  @Column({ type: 'varchar', length: 40 })
  metric: string;

  @Column({ type: 'int' })
  units: number;

  @Column({ name: 'cost_cents', type: 'bigint', transformer: bigintTransformer })
  costCents: number;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
