import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

export class RecipientDto {
  @IsString() @MaxLength(120) name!: string;
  @Matches(/^\+?[0-9 ]{6,20}$/) phone!: string;
  @IsString() @MaxLength(200) line1!: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @IsString() @MaxLength(20) postalCode!: string;
  @IsString() @MaxLength(100) city!: string;
  @IsString() @Length(2, 2) country!: string;
}

export class CreateShipmentDto {
  @IsString() @MaxLength(64) reference!: string;
  @ValidateNested() @Type(() => RecipientDto) recipient!: RecipientDto;
  @IsNumber() @IsPositive() @Max(70) weightKg!: number;
  @IsIn(['dhl', 'ups', 'dpd', 'gls']) carrier!: string;
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(5000) codAmount?: number;
}

export class ListShipmentsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit = 25;
  @IsOptional() @IsString() @MaxLength(64) cursor?: string;
}

export class ReportQuery {
  @IsOptional() @IsString() @MaxLength(40) status?: string;
  @IsOptional() @IsIn(['day', 'week', 'month']) bucket: 'day' | 'week' | 'month' = 'day';
  @Type(() => Date) from!: Date;
  @Type(() => Date) to!: Date;
}

export class DocumentQuery {
  @IsString() @MaxLength(200) name!: string;
}
