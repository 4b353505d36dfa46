import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';

export class OrderLineDto {
  @IsUUID()
  itemId: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;
}

export class CreateOrderDto {
  @IsString()
  @Length(1, 64)
  externalRef: string;

  @IsUUID()
  warehouseId: string;

  @IsString()
  @Length(1, 120)
  shipToName: string;

  @IsObject()
  shipToAddress: Record<string, string>;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  customerNote?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  lines: OrderLineDto[];
}

export class ListOrdersDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['open', 'allocated', 'picking', 'packed', 'shipped', 'cancelled'])
  status?: string;

  @IsOptional()
  @IsUUID()
  warehouseId?: string;
}

export class ShipOrderDto {
  @IsIn(['ground', 'express', 'overnight'])
  service: 'ground' | 'express' | 'overnight';

  @IsInt()
  @Min(1)
  @Max(70_000)
  weightGrams: number;
}
