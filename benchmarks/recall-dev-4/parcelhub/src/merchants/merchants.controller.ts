import { BadRequestException, Body, Controller, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { Type } from 'class-transformer';
import { IsInt, IsNumberString, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { AuthUser, CurrentUser } from '../auth/decorators';
import { MerchantsService } from './merchants.service';

class WebhookEndpointDto {
  @IsUrl({ protocols: ['https'], require_protocol: true })
  url!: string;
}

class WithdrawalDto {
  @IsNumberString()
  amount!: string;
}

class LedgerQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;
  @IsOptional() @Type(() => Date) before?: Date;
}

@Controller('merchants/me')
export class MerchantsController {
  constructor(private readonly merchants: MerchantsService) {}

  @Get()
  me(@CurrentUser() user: AuthUser) {
    return this.merchants.profile(user.merchantId!);
  }

  @Patch()
  update(@CurrentUser() user: AuthUser, @Body() body: Prisma.MerchantUpdateInput) {
    return this.merchants.update(user.merchantId!, body);
  }

  @Put('webhook')
  setWebhook(@CurrentUser() user: AuthUser, @Body() dto: WebhookEndpointDto) {
    return this.merchants.setWebhookEndpoint(user.merchantId!, dto.url);
  }

  @Post('api-key')
  rotateApiKey(@CurrentUser() user: AuthUser) {
    return this.merchants.rotateApiKey(user.merchantId!);
  }

  @Get('ledger')
  ledger(@CurrentUser() user: AuthUser, @Query() query: LedgerQuery) {
    return this.merchants.ledger(user.merchantId!, query.limit, query.before);
  }

  @Post('withdrawals')
  @HttpCode(202)
  withdraw(@CurrentUser() user: AuthUser, @Body() dto: WithdrawalDto) {
    const amount = new Prisma.Decimal(dto.amount);
    if (amount.lte(0) || amount.decimalPlaces() > 2) {
      throw new BadRequestException('Invalid amount');
    }
    return this.merchants.withdrawCod(user.merchantId!, amount);
  }

  @Post('credit/spend')
  spendCredit(@CurrentUser() user: AuthUser, @Body() dto: WithdrawalDto) {
    return this.merchants.spendCredit(user.merchantId!, new Prisma.Decimal(dto.amount));
  }
}
