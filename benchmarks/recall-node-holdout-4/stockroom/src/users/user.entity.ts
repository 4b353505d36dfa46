import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Exclude } from 'class-transformer';

@Entity('users')
@Index(['tenantId', 'email'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ length: 254 })
  email: string;

  @Exclude()
  @Column({ name: 'password_hash' })
  passwordHash: string;

  @Column({ name: 'display_name', length: 120 })
  displayName: string;

  @Column({ type: 'varchar', length: 16, default: 'viewer' })
  role: 'viewer' | 'picker' | 'supervisor' | 'admin';

  @Column({ name: 'home_warehouse_id', type: 'uuid', nullable: true })
  homeWarehouseId: string | null;

  @Column({ default: true })
  active: boolean;

  @Column({ name: 'failed_logins', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt: Date;
}
