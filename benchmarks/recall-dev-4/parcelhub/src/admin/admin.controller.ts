import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Prisma, UserRole } from '@prisma/client';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNumberString, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AuthUser, CurrentUser, Roles } from '../auth/decorators';
import { PrismaService } from '../prisma.service';

class AdjustCreditDto {
  @IsNumberString() amount!: string;
  @IsString() @MaxLength(200) reason!: string;
}

class MerchantListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit = 50;
  @IsOptional() @IsString() cursor?: string;
}

class ChangeRoleDto {
  @IsEnum(UserRole) role!: UserRole;
}

@Roles(UserRole.ADMIN)
@Controller('admin')
export class AdminController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('merchants')
  merchants(@Query() query: MerchantListQuery) {
    return this.prisma.merchant.findMany({
      orderBy: { id: 'asc' },
      take: query.limit,
      ...(query.cursor ? { cursor: { id: query.cursor }, skip: 1 } : {}),
      select: { id: true, name: true, plan: true, suspended: true, creditBalance: true, codBalance: true },
    });
  }

  @Post('merchants/:id/suspend')
  @HttpCode(204)
  async suspend(@Param('id', ParseUUIDPipe) id: string) {
    await this.prisma.merchant.update({ where: { id }, data: { suspended: true } });
  }

  @Post('merchants/:id/credit')
  adjustCredit(@CurrentUser() admin: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: AdjustCreditDto) {
    const amount = new Prisma.Decimal(dto.amount);
    return this.prisma.$transaction([
      this.prisma.merchant.update({ where: { id }, data: { creditBalance: { increment: amount } } }),
      this.prisma.ledgerEntry.create({ data: { merchantId: id, kind: `adjustment:${admin.userId}`, amount } }),
    ]);
  }
}

@Controller('support')
export class SupportController {
  constructor(private readonly prisma: PrismaService) {}

  @Roles(UserRole.SUPPORT, UserRole.ADMIN)
  @Get('shipments/:id')
  shipment(@Param('id', ParseUUIDPipe) id: string) {
    return this.prisma.shipment.findUnique({
      where: { id },
      include: { events: { orderBy: { occurredAt: 'desc' }, take: 50 } },
    });
  }

  @Roles(UserRole.ADMIN)
  @Patch('users/:id/role')
  changeRole(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeRoleDto) {
    return this.prisma.user.update({ where: { id }, data: { role: dto.role }, select: { id: true, role: true } });
  }
}
