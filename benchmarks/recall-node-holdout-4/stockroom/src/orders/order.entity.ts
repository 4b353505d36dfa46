import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrderLine } from './order-line.entity';

export type OrderStatus = 'open' | 'allocated' | 'picking' | 'packed' | 'shipped' | 'delivered' | 'cancelled';

@Entity('orders')
@Index(['tenantId', 'externalRef'], { unique: true })
@Index(['tenantId', 'status', 'createdAt'])
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'external_ref', length: 64 })
  externalRef: string;

  @Column({ name: 'warehouse_id', type: 'uuid' })
  warehouseId: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: OrderStatus;

  @Column({ name: 'ship_to_name', length: 120 })
  shipToName: string;

  @Column({ name: 'ship_to_address', type: 'jsonb' })
  shipToAddress: Record<string, string>;

  @Column({ name: 'customer_note', type: 'text', nullable: true })
  customerNote: string | null;

  @Column({ name: 'tracking_number', length: 64, nullable: true })
  trackingNumber: string | null;

  @Column({ name: 'label_url', type: 'text', nullable: true })
  labelUrl: string | null;

  @OneToMany(() => OrderLine, (line) => line.order, { cascade: ['insert'] })
  lines: OrderLine[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
