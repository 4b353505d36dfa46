import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const METRICS = ['api.request', 'storage.gb_hour', 'export.row', 'webhook.delivery'] as const;

export class UsageEventDto {
  @IsString()
  @MaxLength(64)
  eventId: string;

  @IsIn(METRICS)
  metric: string;

  @IsInt()
  @Min(1)
  @Max(1_000_000)
  units: number;

  @IsISO8601()
  occurredAt: string;
}

export class IngestUsageDto {
  @ValidateNested({ each: true })
  @Type(() => UsageEventDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  events: UsageEventDto[];
}

export class UsageReportQuery {
  @IsOptional()
  @IsString()
  @MaxLength(64)
  metric?: string;

  @IsOptional()
  @IsIn(['hour', 'day', 'month'])
  granularity?: 'hour' | 'day' | 'month';

  @IsISO8601()
  from: string;

  @IsISO8601()
  to: string;
}
