import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('suppliers')
@Index(['tenantId', 'name'])
export class Supplier {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ length: 160 })
  name: string;

  @Column({ name: 'contact_email', length: 254, nullable: true })
  contactEmail: string | null;

  @Column({ name: 'price_list_url', type: 'text', nullable: true })
  priceListUrl: string | null;

  @Column({ name: 'encrypted_credentials', type: 'text', nullable: true })
  encryptedCredentials: string | null;

  @Column({ name: 'lead_time_days', type: 'integer', default: 7 })
  leadTimeDays: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
