import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class PickDto {
  @IsUUID()
  warehouseId: string;

  @IsUUID()
  itemId: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  reference?: string;
}

export class TransferDto {
  @IsUUID()
  fromWarehouseId: string;

  @IsUUID()
  toWarehouseId: string;

  @IsUUID()
  itemId: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;
}

export class ReceiptLineDto {
  @IsUUID()
  itemId: string;

  @IsInt()
  @Min(1)
  @Max(100_000)
  quantity: number;
}

export class ReceiptDto {
  @IsUUID()
  warehouseId: string;

  @IsString()
  @MaxLength(64)
  reference: string;

  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ReceiptLineDto)
  lines: ReceiptLineDto[];
}

export class CountLineDto {
  @IsUUID()
  itemId: string;

  @IsInt()
  @Min(0)
  counted: number;
}

export class CycleCountDto {
  @IsUUID()
  warehouseId: string;

  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CountLineDto)
  lines: CountLineDto[];
}

export class ReserveDto {
  @IsUUID()
  orderId: string;

  @IsUUID()
  stockLevelId: string;

  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;
}
