import { Body, Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { IsInt, IsString, Matches, MaxLength, Min, Max } from 'class-validator';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { randomUUID } from 'crypto';
import { PlatformAdminGuard } from '../common/guards/platform-admin.guard';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { Organization } from '../orgs/organization.entity';
import { WalletService } from '../wallet/wallet.service';
import { InvoicesService } from '../invoices/invoices.service';

class AdjustmentDto {
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  amountCents: number;

  @IsString()
  @MaxLength(255)
  memo: string;
}

class RegenerateDto {
  @Matches(/^\d{4}-\d{2}-01$/)
  periodStart: string;

  @Matches(/^\d{4}-\d{2}-01$/)
  periodEnd: string;
}

@Controller('admin')
@UseGuards(PlatformAdminGuard)
export class AdminController {
  constructor(
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    private readonly dataSource: DataSource,
    private readonly wallet: WalletService,
    private readonly invoices: InvoicesService,
  ) {}

  @Get('orgs')
  listOrgs(
    @Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number,
    @Query('q') q?: string,
  ) {
    const qb = this.orgs.createQueryBuilder('o').orderBy('o.created_at', 'DESC').skip((Math.max(page, 1) - 1) * 50).take(50);
    if (q) {
      qb.where('o.name ILIKE :q OR o.slug ILIKE :q', { q: `%${q.replace(/[%_\\]/g, '\\$&')}%` });
    }
    return qb.getMany();
  }

  @Post('orgs/:orgId/adjustments')
  async adjust(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @CurrentUser('id') adminId: string,
    @Body() dto: AdjustmentDto,
  ) {
    await this.dataSource.transaction((manager) =>
      this.wallet.applyCredit(manager, orgId, dto.amountCents, 'adjustment', randomUUID(), `${dto.memo} (by ${adminId})`),
    );
    return this.wallet.getWallet(orgId);
  }

  @Post('orgs/:orgId/invoices/regenerate')
  async regenerate(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: RegenerateDto) {
    const org = await this.orgs.findOneOrFail({ where: { id: orgId } });
    return this.invoices.generateForOrg(org, dto.periodStart, dto.periodEnd);
  }
}
