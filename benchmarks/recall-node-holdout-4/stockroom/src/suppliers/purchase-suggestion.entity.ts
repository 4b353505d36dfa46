import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('purchase_suggestions')
@Index(['tenantId', 'itemId', 'status'])
export class PurchaseSuggestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ name: 'supplier_id', type: 'uuid', nullable: true })
  supplierId: string | null;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'quoted_unit_cost_cents', type: 'integer', nullable: true })
  quotedUnitCostCents: number | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: 'open' | 'ordered' | 'dismissed';

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
