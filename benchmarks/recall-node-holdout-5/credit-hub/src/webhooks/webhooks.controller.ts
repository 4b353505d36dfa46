import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsISO8601, IsString, MaxLength } from 'class-validator';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { WEBHOOK_EVENTS, WebhooksService } from './webhooks.service';

class RegisterEndpointDto {
  @IsString()
  @MaxLength(2048)
  url: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events: string[];
}

class DeliveriesQuery {
  @IsOptional()
  @IsISO8601()
  before?: string;
}

@Controller('orgs/:orgId/webhooks')
@UseGuards(OrgRolesGuard)
@OrgRoles('owner', 'admin', 'developer')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  register(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: RegisterEndpointDto) {
    return this.webhooks.register(orgId, dto.url, dto.events);
  }

  @Get()
  list(@Param('orgId', ParseUUIDPipe) orgId: string) {
    return this.webhooks.list(orgId);
  }

  @HttpCode(204)
  @Delete(':endpointId')
  remove(@Param('orgId', ParseUUIDPipe) orgId: string, @Param('endpointId', ParseUUIDPipe) endpointId: string) {
    return this.webhooks.remove(orgId, endpointId);
  }

  @Get(':endpointId/deliveries')
  deliveries(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('endpointId', ParseUUIDPipe) endpointId: string,
    @Query() q: DeliveriesQuery,
  ) {
    return this.webhooks.deliveriesFor(orgId, endpointId, q.before ? new Date(q.before) : undefined);
  }
}
