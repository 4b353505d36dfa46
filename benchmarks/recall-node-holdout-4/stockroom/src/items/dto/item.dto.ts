import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';

export class CreateItemDto {
  @IsString()
  @Length(1, 64)
  sku: string;

  @IsString()
  @Length(1, 200)
  name: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  uom?: string;

  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitCostCents: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  reorderPoint?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  reorderQty?: number;

  @IsOptional()
  @IsUUID()
  supplierId?: string;
}

export class UpdateItemDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(4000)
  description?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitCostCents?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  reorderPoint?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  reorderQty?: number;
}

export const ITEM_SORT_COLUMNS = ['sku', 'name', 'createdAt', 'unitCostCents'] as const;

export class SearchItemsDto extends PageQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsIn(ITEM_SORT_COLUMNS as unknown as string[])
  sort?: (typeof ITEM_SORT_COLUMNS)[number];

  @IsOptional()
  @IsIn(['ASC', 'DESC'])
  direction?: 'ASC' | 'DESC';

  @IsOptional()
  @IsUUID()
  warehouseId?: string;

  @IsOptional()
  @Type(() => Boolean)
  belowReorderPoint?: boolean;
}
