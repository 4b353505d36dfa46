import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('warehouses')
@Index(['tenantId', 'code'], { unique: true })
export class Warehouse {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ length: 16 })
  code: string;

  @Column({ length: 120 })
  name: string;

  @Column({ default: true })
  active: boolean;
}
