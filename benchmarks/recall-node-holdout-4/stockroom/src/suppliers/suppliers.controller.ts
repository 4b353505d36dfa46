import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CurrentUser, AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { CreateSupplierDto, PreviewFeedDto } from './dto/supplier.dto';
import { SuppliersService } from './suppliers.service';

@Controller({ path: 'suppliers', version: '1' })
export class SuppliersController {
  constructor(private readonly suppliers: SuppliersService) {}

  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() page: PageQueryDto) {
    const { items, total } = await this.suppliers.list(user.tenantId, page.skip, page.pageSize);
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  @Get(':id')
  async get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.suppliers.present(await this.suppliers.get(user.tenantId, id));
  }

  @Roles('supervisor')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateSupplierDto) {
    return this.suppliers.create(user.tenantId, dto);
  }

  // Lets buyers check a supplier's feed before saving it.
  @Post('feed-preview')
  preview(@Body() dto: PreviewFeedDto) {
    return this.suppliers.previewFeed(dto);
  }
}
