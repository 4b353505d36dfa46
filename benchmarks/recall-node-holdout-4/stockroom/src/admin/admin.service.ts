import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { User } from '../users/user.entity';
import { Warehouse } from '../stock/warehouse.entity';

@Injectable()
export class AdminService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Warehouse) private readonly warehouses: Repository<Warehouse>,
  ) {}

  async setRole(tenantId: string, userId: string, role: User['role']) {
    const result = await this.users.update({ id: userId, tenantId }, { role });
    if (!result.affected) throw new NotFoundException('User not found');
    return { id: userId, role };
  }

  async deactivateUser(tenantId: string, userId: string) {
    const result = await this.users.update({ id: userId, tenantId }, { active: false });
    if (!result.affected) throw new NotFoundException('User not found');
    return { id: userId, active: false };
  }

  async createWarehouse(tenantId: string, code: string, name: string) {
    return this.warehouses.save(this.warehouses.create({ tenantId, code: code.toUpperCase(), name }));
  }

  async inventoryValuation(tenantId: string) {
    const rows: Array<{ warehouse_code: string; units: string; value_cents: string }> = await this.dataSource.query(
      `SELECT w.code AS warehouse_code,
              SUM(sl.on_hand)::bigint AS units,
              SUM(sl.on_hand::bigint * i.unit_cost_cents)::bigint AS value_cents
         FROM stock_levels sl
         JOIN warehouses w ON w.id = sl.warehouse_id
         JOIN items i ON i.id = sl.item_id
        WHERE sl.tenant_id = $1
        GROUP BY w.code
        ORDER BY w.code`,
      [tenantId],
    );
    return rows.map((r) => ({ warehouse: r.warehouse_code, units: Number(r.units), valueCents: BigInt(r.value_cents).toString() }));
  }
}
