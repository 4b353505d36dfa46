import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'clinicians' })
export class Clinician {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'clinic_id', type: 'uuid' })
  clinicId: string;

  @Index({ unique: true })
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'display_name' })
  displayName: string;

  @Column()
  specialty: string;

  @Column({ default: true })
  active: boolean;
}
