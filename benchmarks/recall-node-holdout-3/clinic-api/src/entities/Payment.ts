import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded';

@Entity({ name: 'payments' })
export class Payment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ type: 'double precision' })
  amount: number;

  @Column({ length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status: PaymentStatus;

  @Index({ unique: true })
  @Column({ name: 'gateway_charge_id', type: 'varchar', nullable: true })
  gatewayChargeId: string | null;

  @Column({ type: 'varchar', length: 32 })
  method: 'card' | 'credit' | 'cash';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
