import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ItemsRepository } from './items.repository';
import { CreateItemDto, SearchItemsDto, UpdateItemDto } from './dto/item.dto';
import { Item } from './item.entity';

@Injectable()
export class ItemsService {
  constructor(private readonly items: ItemsRepository) {}

  private normalizeTerm(q?: string): string | undefined {
    const trimmed = q?.trim();
    return trimmed ? trimmed.replace(/\s+/g, ' ') : undefined;
  }

  async search(tenantId: string, dto: SearchItemsDto) {
    const [items, total] = await this.items.search({
      tenantId,
      term: this.normalizeTerm(dto.q),
      sort: dto.sort ?? 'sku',
      direction: dto.direction ?? 'ASC',
      warehouseId: dto.warehouseId,
      belowReorderPoint: dto.belowReorderPoint,
      skip: dto.skip,
      take: dto.pageSize,
    });
    return { items, total, page: dto.page, pageSize: dto.pageSize };
  }

  async get(tenantId: string, id: string): Promise<Item> {
    const item = await this.items.findOne({ where: { id, tenantId } });
    if (!item) throw new NotFoundException('Item not found');
    return item;
  }

  async create(tenantId: string, dto: CreateItemDto): Promise<Item> {
    const exists = await this.items.exists({ where: { tenantId, sku: dto.sku } });
    if (exists) throw new ConflictException(`SKU ${dto.sku} already exists`);
    return this.items.save(this.items.create({ ...dto, tenantId }));
  }

  async update(tenantId: string, id: string, dto: UpdateItemDto): Promise<Item> {
    const item = await this.get(tenantId, id);
    this.items.merge(item, dto);
    return this.items.save(item);
  }

  async deactivate(tenantId: string, id: string): Promise<void> {
    const result = await this.items.update({ id, tenantId }, { active: false });
    if (!result.affected) throw new NotFoundException('Item not found');
  }
}
