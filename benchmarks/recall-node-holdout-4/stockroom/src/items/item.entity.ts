import { Column, CreateDateColumn, Entity, Index, ManyToOne, JoinColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Supplier } from '../suppliers/supplier.entity';

@Entity('items')
@Index(['tenantId', 'sku'], { unique: true })
export class Item {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ length: 64 })
  sku: string;

  @Column({ length: 200 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ length: 32, default: 'each' })
  uom: string;

  @Column({ name: 'unit_cost_cents', type: 'integer', default: 0 })
  unitCostCents: number;

  @Column({ name: 'reorder_point', type: 'integer', default: 0 })
  reorderPoint: number;

  @Column({ name: 'reorder_qty', type: 'integer', default: 0 })
  reorderQty: number;

  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId: string | null;

  @ManyToOne(() => Supplier, { nullable: true })
  @JoinColumn({ name: 'supplier_id' })
  supplier?: Supplier;

  @Column({ default: true })
  active: boolean;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
