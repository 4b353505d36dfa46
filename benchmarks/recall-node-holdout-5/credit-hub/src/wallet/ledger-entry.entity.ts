import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../common/utils/money';

export type LedgerKind = 'top_up' | 'usage' | 'refund' | 'adjustment' | 'invoice';

@Entity({ name: 'ledger_entries' })
@Index(['orgId', 'createdAt'])
export class LedgerEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: LedgerKind;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: bigintTransformer })
  amountCents: number;

  @Column({ name: 'balance_after_cents', type: 'bigint', transformer: bigintTransformer })
  balanceAfterCents: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  memo: string | null;

  @Column({ name: 'reference_id', type: 'varchar', length: 64, nullable: true })
  referenceId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
