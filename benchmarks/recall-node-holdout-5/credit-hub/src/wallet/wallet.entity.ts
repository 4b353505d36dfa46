import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../common/utils/money';

@Entity({ name: 'wallets' })
export class Wallet {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @Column({ name: 'org_id', type: 'uuid' })
  orgId: string;

  @Column({ name: 'balance_cents', type: 'bigint', transformer: bigintTransformer })
  balanceCents: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ name: 'auto_recharge_cents', type: 'bigint', nullable: true, transformer: bigintTransformer })
  autoRechargeCents: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
