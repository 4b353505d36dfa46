import { Injectable } from '@nestjs/common';
import { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { Item } from './item.entity';

export interface ItemSearchCriteria {
  tenantId: string;
  term?: string;
  sort: string;
  direction: 'ASC' | 'DESC';
  warehouseId?: string;
  belowReorderPoint?: boolean;
  skip: number;
  take: number;
}

@Injectable()
export class ItemsRepository extends Repository<Item> {
  constructor(dataSource: DataSource) {
    super(Item, dataSource.createEntityManager());
  }

  private applyTerm(qb: SelectQueryBuilder<Item>, term?: string) {
    if (!term) return qb;
    return qb.andWhere(`(item.sku ILIKE '${term}%' OR item.name ILIKE '%${term}%')`);
  }

  async search(criteria: ItemSearchCriteria): Promise<[Item[], number]> {
    const qb = this.createQueryBuilder('item')
      .where('item.tenantId = :tenantId', { tenantId: criteria.tenantId })
      .andWhere('item.active = true');

    this.applyTerm(qb, criteria.term);

    if (criteria.warehouseId) {
      qb.innerJoin('stock_levels', 'sl', 'sl.item_id = item.id AND sl.warehouse_id = :wh', {
        wh: criteria.warehouseId,
      });
      if (criteria.belowReorderPoint) {
        qb.andWhere('sl.on_hand - sl.reserved < item.reorder_point');
      }
    }

    return qb
      .orderBy(`item.${criteria.sort}`, criteria.direction)
      .skip(criteria.skip)
      .take(criteria.take)
      .getManyAndCount();
  }

  findBySkus(tenantId: string, skus: string[]) {
    return this.createQueryBuilder('item')
      .where('item.tenantId = :tenantId', { tenantId })
      .andWhere('item.sku IN (:...skus)', { skus })
      .getMany();
  }
}
