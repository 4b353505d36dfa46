import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { IsISO8601 } from 'class-validator';
import { Response } from 'express';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { OrgsService } from '../orgs/orgs.service';
import { ExportsService } from './exports.service';

class CreateExportDto {
  @IsISO8601()
  from: string;

  @IsISO8601()
  to: string;
}

@Controller('orgs/:orgId/exports')
@UseGuards(OrgRolesGuard)
@OrgRoles('owner', 'admin', 'billing')
export class ExportsController {
  constructor(
    private readonly exportsService: ExportsService,
    private readonly orgs: OrgsService,
  ) {}

  @Post()
  async create(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: CreateExportDto) {
    const org = await this.orgs.getOrg(orgId);
    return this.exportsService.createLedgerExport(orgId, new Date(dto.from), new Date(dto.to), org.currency);
  }

  @Get()
  list(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.exportsService.list(orgId);
  }

  @Get('download')
  download(@Param('orgId', ParseUUIDPipe) orgId: string, @Query('name') name: string, @Res() res: Response) {
    if (!name) {
      throw new BadRequestException('name is required');
    }
    const file = this.exportsService.resolveDownload(orgId, name);
    res.download(file);
  }

  @HttpCode(204)
  @Delete(':name')
  remove(@Param('orgId', ParseUUIDPipe) orgId: string, @Param('name') name: string) {
    return this.exportsService.remove(orgId, name);
  }
}
