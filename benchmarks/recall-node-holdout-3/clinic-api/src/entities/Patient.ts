import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'patients' })
@Index(['clinicId', 'lastName'])
export class Patient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId: string;

  @Column({ name: 'first_name' })
  firstName: string;

  @Column({ name: 'last_name' })
  lastName: string;

  @Column({ name: 'date_of_birth', type: 'date' })
  dateOfBirth: string;

  @Column({ type: 'varchar', nullable: true })
  email: string | null;

  @Column({ type: 'varchar', nullable: true })
  phone: string | null;

  @Column({ type: 'varchar', nullable: true, select: false })
  ssn: string | null;

  @Column({ name: 'insurance_member_id', type: 'varchar', nullable: true })
  insuranceMemberId: string | null;

  @Column({ name: 'insurance_status', type: 'varchar', length: 16, default: 'unknown' })
  insuranceStatus: 'eligible' | 'ineligible' | 'unknown';

  /** Prepaid credit held for the patient, in minor units. */
  @Column({ name: 'credit_cents', type: 'integer', default: 0 })
  creditCents: number;

  @Column({ name: 'no_show_count', type: 'integer', default: 0 })
  noShowCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
