import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'billing_periods' })
export class BillingPeriod {
  @PrimaryColumn({ name: 'period_start', type: 'date' })
  periodStart: string;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'invoice_count', type: 'int', default: 0 })
  invoiceCount: number;
}
