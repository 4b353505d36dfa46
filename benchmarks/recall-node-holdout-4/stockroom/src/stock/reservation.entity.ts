import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('reservations')
@Index(['tenantId', 'orderId'])
export class Reservation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'stock_level_id', type: 'uuid' })
  stockLevelId: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: 'active' | 'released' | 'consumed';

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
