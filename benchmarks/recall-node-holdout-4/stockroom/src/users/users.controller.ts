import { Body, ClassSerializerInterceptor, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, UseInterceptors } from '@nestjs/common';
import { CurrentUser, AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { PageQueryDto } from '../common/pagination/page-query.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { User } from './user.entity';
import { UsersService } from './users.service';

@Controller({ path: 'users', version: '1' })
@UseInterceptors(ClassSerializerInterceptor)
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.users.findInTenant(user.tenantId, user.userId);
  }

  @Patch('me')
  updateMe(@CurrentUser() user: AuthUser, @Body() patch: Partial<User>) {
    return this.users.updateProfile(user.tenantId, user.userId, patch);
  }

  @Roles('admin')
  @Get()
  async list(@CurrentUser() user: AuthUser, @Query() page: PageQueryDto) {
    const { items, total } = await this.users.listInTenant(user.tenantId, page.skip, page.pageSize);
    return { items, total, page: page.page, pageSize: page.pageSize };
  }

  @Roles('admin')
  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(user.tenantId, dto);
  }

  @Roles('admin')
  @Get(':id')
  getOne(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string) {
    return this.users.findInTenant(user.tenantId, id);
  }

  @Roles('admin')
  @Post('api-keys')
  issueKey(@CurrentUser() user: AuthUser, @Body('label') label: string) {
    return this.users.issueApiKey(user.tenantId, user.userId, String(label ?? 'unnamed').slice(0, 80));
  }
}
