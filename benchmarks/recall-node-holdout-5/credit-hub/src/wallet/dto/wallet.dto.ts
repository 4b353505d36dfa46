import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class TopUpDto {
  @Matches(/^\d{1,6}(\.\d{1,2})?$/)
  amount: string;

  @IsString()
  @MaxLength(64)
  paymentMethodId: string;
}

export class RefundDto {
  @IsOptional()
  @IsString()
  @MaxLength(255)
  reason?: string;
}
