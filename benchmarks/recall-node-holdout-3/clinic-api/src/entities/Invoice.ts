import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'void';

@Entity({ name: 'invoices' })
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId: string;

  @Index()
  @Column({ name: 'patient_id', type: 'uuid' })
  patientId: string;

  @Index({ unique: true, where: 'appointment_id IS NOT NULL' })
  @Column({ name: 'appointment_id', type: 'uuid', nullable: true })
  appointmentId: string | null;

  @Column({ type: 'varchar', length: 8, default: 'draft' })
  status: InvoiceStatus;

  @Column({ length: 3 })
  currency: string;

  @Column({ name: 'subtotal_cents', type: 'integer', default: 0 })
  subtotalCents: number;

  @Column({ name: 'tax_cents', type: 'integer', default: 0 })
  taxCents: number;

  @Column({ name: 'total_cents', type: 'integer', default: 0 })
  totalCents: number;

  @Column({ name: 'paid_cents', type: 'integer', default: 0 })
  paidCents: number;

  @OneToMany(() => InvoiceLine, (line) => line.invoice, { cascade: ['insert'] })
  lines: InvoiceLine[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

@Entity({ name: 'invoice_lines' })
export class InvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ManyToOne(() => Invoice, (invoice) => invoice.lines, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'invoice_id' })
  invoice: Invoice;

  @Column()
  description: string;

  @Column({ name: 'unit_price_cents', type: 'integer' })
  unitPriceCents: number;

  @Column({ type: 'integer', default: 1 })
  quantity: number;
}
