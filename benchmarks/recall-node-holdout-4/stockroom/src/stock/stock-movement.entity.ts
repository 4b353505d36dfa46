import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type MovementKind = 'receipt' | 'pick' | 'transfer_out' | 'transfer_in' | 'adjustment' | 'count';

@Entity('stock_movements')
@Index(['tenantId', 'itemId', 'createdAt'])
export class StockMovement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'warehouse_id', type: 'uuid' })
  warehouseId: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: MovementKind;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'reference', length: 64, nullable: true })
  reference: string | null;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;
}
