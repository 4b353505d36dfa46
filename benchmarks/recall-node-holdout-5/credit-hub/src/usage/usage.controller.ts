import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { Public } from '../common/decorators/public.decorator';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { ApiKeyGuard } from '../api-keys/api-key.guard';
import { UsageService } from './usage.service';
import { IngestUsageDto, UsageReportQuery } from './dto/usage.dto';

@Controller('orgs/:orgId/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Public()
  @UseGuards(ApiKeyGuard)
  @Post('events')
  ingest(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Body() dto: IngestUsageDto,
    @Headers('x-batch-id') batchId?: string,
  ) {
    return this.usage.ingest(orgId, batchId?.slice(0, 64) || randomUUID(), dto.events);
  }

  @UseGuards(OrgRolesGuard)
  @Get('report')
  report(@Param('orgId', ParseUUIDPipe) orgId: string, @Query() q: UsageReportQuery) {
    return this.usage.report(orgId, q);
  }

  @UseGuards(OrgRolesGuard)
  @Get('summary')
  summary(@Param('orgId', ParseUUIDPipe) orgId: string) {
    const since = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    return this.usage.summary(orgId, since);
  }
}
