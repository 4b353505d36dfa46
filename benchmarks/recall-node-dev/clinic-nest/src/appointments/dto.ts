import { IsDateString, IsInt, IsOptional, IsString, IsUrl, Min } from 'class-validator';

export class BookDto {
  @IsInt() @Min(1) doctorId: number;
  @IsDateString() startsAt: string;
  @IsOptional() @IsUrl() reminderWebhook?: string;
}

export class SearchDto {
  @IsString() name: string;
}
