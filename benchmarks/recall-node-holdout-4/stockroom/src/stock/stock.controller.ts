import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CurrentUser, AuthUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { CycleCountDto, PickDto, ReceiptDto, ReserveDto, TransferDto } from './dto/stock.dto';
import { StockService } from './stock.service';

@Controller({ path: 'stock', version: '1' })
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get('warehouses')
  warehouses(@CurrentUser() user: AuthUser) {
    return this.stock.warehousesForTenant(user.tenantId);
  }

  @Get('items/:itemId')
  levels(@CurrentUser() user: AuthUser, @Param('itemId', ParseUUIDPipe) itemId: string) {
    return this.stock.levelsForItem(user.tenantId, itemId);
  }

  @Get('items/:itemId/movements')
  async movements(
    @CurrentUser() user: AuthUser,
    @Param('itemId', ParseUUIDPipe) itemId: string,
    @Query() page: PageQueryDto,
  ) {
    const { items, total } = await this.stock.movementsForItem(user.tenantId, itemId, page.skip, page.pageSize);
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  @Roles('picker')
  @Post('pick')
  pick(@CurrentUser() user: AuthUser, @Body() dto: PickDto) {
    return this.stock.pick(user, dto);
  }

  @Roles('supervisor')
  @Post('transfer')
  transfer(@CurrentUser() user: AuthUser, @Body() dto: TransferDto) {
    return this.stock.transfer(user, dto);
  }

  @Roles('picker')
  @Post('receipts')
  receive(@CurrentUser() user: AuthUser, @Body() dto: ReceiptDto) {
    return this.stock.receive(user, dto);
  }

  @Roles('supervisor')
  @Post('counts')
  count(@CurrentUser() user: AuthUser, @Body() dto: CycleCountDto) {
    return this.stock.cycleCount(user, dto);
  }

  @Roles('picker')
  @Post('reservations')
  reserve(@CurrentUser() user: AuthUser, @Body() dto: ReserveDto) {
    return this.stock.reserve(user, dto);
  }

  // Storefront calls this when a checkout session expires.
  @Public()
  @Post('reservations/:id/release')
  @HttpCode(200)
  release(@Param('id', ParseUUIDPipe) id: string) {
    return this.stock.releaseReservation(id);
  }
}
