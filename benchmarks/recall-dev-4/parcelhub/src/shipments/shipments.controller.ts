import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
import { AuthUser, CurrentUser } from '../auth/decorators';
import { CreateShipmentDto, DocumentQuery, ListShipmentsQuery, ReportQuery } from './dto';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

@Controller('shipments')
export class ShipmentsController {
  constructor(
    private readonly shipments: ShipmentsService,
    private readonly repo: ShipmentsRepository,
  ) {}

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateShipmentDto) {
    return this.shipments.create(user.merchantId!, dto);
  }

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() query: ListShipmentsQuery) {
    const page = await this.repo.page(user.merchantId!, query.limit, query.cursor);
    const items = await this.repo.withEvents(page);
    return { items, nextCursor: page.length === query.limit ? page[page.length - 1].id : null };
  }

  @Get('reports/volume')
  volume(@CurrentUser() user: AuthUser, @Query() query: ReportQuery) {
    return this.repo.volumeByBucket(user.merchantId!, query.bucket, query.from, query.to);
  }

  @Get('reports/status')
  statusReport(@CurrentUser() user: AuthUser, @Query() query: ReportQuery) {
    return this.repo.statusReport(user.merchantId!, query.status, query.from, query.to);
  }

  @Get('documents')
  async document(@CurrentUser() user: AuthUser, @Query() query: DocumentQuery) {
    const content = await this.shipments.readDocument(user.merchantId!, query.name);
    return new StreamableFile(content, { type: 'application/pdf' });
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.repo.findForMerchant(user.merchantId!, id);
  }

  @Post(':id/label')
  @HttpCode(202)
  requestLabel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.shipments.requestLabel(user.merchantId!, id);
  }

  @Get(':id/label.pdf')
  async label(@Param('id', ParseUUIDPipe) id: string) {
    const pdf = await this.shipments.getLabel(id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `attachment; filename="${id}.pdf"` });
  }

  @Post(':id/return-label')
  returnLabel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.shipments.returnLabel(user.merchantId!, id);
  }

  @Post(':id/cancel')
  @HttpCode(204)
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.shipments.cancel(user.merchantId!, id);
  }
}
