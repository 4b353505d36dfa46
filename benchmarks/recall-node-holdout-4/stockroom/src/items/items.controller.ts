import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { CurrentUser, AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { CreateItemDto, SearchItemsDto, UpdateItemDto } from './dto/item.dto';
import { ItemsService } from './items.service';

@Controller({ path: 'items', version: '1' })
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get()
  search(@CurrentUser() user: AuthUser, @Query() dto: SearchItemsDto) {
    return this.items.search(user.tenantId, dto);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.items.get(user.tenantId, id);
  }

  @Roles('supervisor')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateItemDto) {
    return this.items.create(user.tenantId, dto);
  }

  @Roles('supervisor')
  @Patch(':id')
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateItemDto) {
    return this.items.update(user.tenantId, id, dto);
  }

  @Roles('admin')
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.items.deactivate(user.tenantId, id);
  }
}
