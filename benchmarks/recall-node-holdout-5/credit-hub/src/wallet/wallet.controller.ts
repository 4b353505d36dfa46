import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { WalletService } from './wallet.service';
import { RefundDto, TopUpDto } from './dto/wallet.dto';
import { LedgerKind } from './ledger-entry.entity';

const LEDGER_KINDS: LedgerKind[] = ['top_up', 'usage', 'refund', 'adjustment', 'invoice'];

@Controller('orgs/:orgId/wallet')
@UseGuards(OrgRolesGuard)
export class WalletController {
  constructor(private readonly wallet: WalletService) {}

  @Get()
  get(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.wallet.getWallet(orgId);
  }

  @OrgRoles('owner', 'admin', 'billing')
  @Get('ledger')
  ledger(@Param('orgId', ParseUUIDPipe) orgId: string, @Query('kind') kind?: string) {
    const filter = LEDGER_KINDS.find((k) => k === kind);
    return this.wallet.listLedger(orgId, filter);
  }

  @OrgRoles('owner', 'billing')
  @Post('top-ups')
  topUp(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @CurrentUser('id') userId: string,
    @Body() dto: TopUpDto,
  ) {
    return this.wallet.topUp(orgId, userId, dto.amount, dto.paymentMethodId);
  }

  @OrgRoles('owner', 'billing')
  @Post('top-ups/:topUpId/refund')
  refund(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('topUpId', ParseUUIDPipe) topUpId: string,
    @Body() dto: RefundDto,
  ) {
    return this.wallet.refundTopUp(orgId, topUpId, dto.reason);
  }
}
