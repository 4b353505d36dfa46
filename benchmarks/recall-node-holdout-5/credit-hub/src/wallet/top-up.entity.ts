import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../common/utils/money';

export type TopUpStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

@Entity({ name: 'top_ups' })
export class TopUp {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintTransformer })
  amountCents: number;

  @Column({ type: 'varchar', length: 16 })
  status: TopUpStatus;

  @Index({ unique: true })
  @Column({ name: 'charge_id', type: 'varchar', length: 64, nullable: true })
  chargeId: string | null;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
