import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { CurrentUser, AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { AdminService } from './admin.service';
import { CreateWarehouseDto, SetRoleDto } from './dto/admin.dto';

@Roles('admin')
@Controller({ path: 'admin', version: '1' })
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Patch('users/:id/role')
  setRole(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: SetRoleDto) {
    return this.admin.setRole(user.tenantId, id, dto.role);
  }

  @Post('users/:id/deactivate')
  deactivate(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.admin.deactivateUser(user.tenantId, id);
  }

  @Post('warehouses')
  createWarehouse(@CurrentUser() user: AuthUser, @Body() dto: CreateWarehouseDto) {
    return this.admin.createWarehouse(user.tenantId, dto.code, dto.name);
  }

  @Get('valuation')
  valuation(@CurrentUser() user: AuthUser) {
    return this.admin.inventoryValuation(user.tenantId);
  }
}
