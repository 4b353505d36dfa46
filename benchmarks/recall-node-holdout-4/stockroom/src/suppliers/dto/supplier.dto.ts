import { IsEmail, IsInt, IsOptional, IsString, IsUrl, Length, Max, MaxLength, Min } from 'class-validator';

export class CreateSupplierDto {
  @IsString()
  @Length(1, 160)
  name: string;

  @IsOptional()
  @IsEmail()
  contactEmail?: string;

  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  priceListUrl?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  portalCredentials?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  leadTimeDays?: number;
}

export class PreviewFeedDto {
  @IsUrl({ require_protocol: true })
  feedUrl: string;

  @IsOptional()
  @IsString()
  @MaxLength(16)
  format?: 'csv' | 'json';
}
