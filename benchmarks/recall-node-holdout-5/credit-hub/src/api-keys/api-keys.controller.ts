import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiKeysService, KEY_SCOPES } from './api-keys.service';

class CreateKeyDto {
  @IsString()
  @MaxLength(80)
  label: string;

  @IsArray()
  @ArrayMaxSize(KEY_SCOPES.length)
  @IsIn(KEY_SCOPES, { each: true })
  scopes: string[];
}

@Controller('orgs/:orgId/api-keys')
@UseGuards(OrgRolesGuard)
@OrgRoles('owner', 'admin', 'developer')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  list(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.keys.list(orgId);
  }

  @Post()
  create(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @CurrentUser('id') userId: string,
    @Body() dto: CreateKeyDto,
  ) {
    return this.keys.create(orgId, userId, dto.label, dto.scopes);
  }

  @HttpCode(204)
  @Delete(':keyId')
  revoke(@Param('orgId', ParseUUIDPipe) orgId: string, @Param('keyId', ParseUUIDPipe) keyId: string) {
    return this.keys.revoke(orgId, keyId);
  }
}
