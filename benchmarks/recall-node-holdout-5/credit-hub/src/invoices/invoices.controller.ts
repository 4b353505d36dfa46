import { Controller, DefaultValuePipe, Get, Param, ParseIntPipe, ParseUUIDPipe, Query, Res, UseGuards } from '@nestjs/common';
import { Response } from 'express';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { InvoicesService } from './invoices.service';

@Controller('orgs/:orgId/invoices')
@UseGuards(OrgRolesGuard)
@OrgRoles('owner', 'admin', 'billing')
export class InvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  list(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Query('page', new DefaultValuePipe(1), ParseIntPipe) page: number,
    @Query('pageSize', new DefaultValuePipe(20), ParseIntPipe) pageSize: number,
  ) {
    return this.invoices.listForOrg(orgId, page, pageSize);
  }

  @Get(':invoiceId')
  get(@Param('invoiceId', ParseUUIDPipe) invoiceId: string) {
    return this.invoices.findOne(invoiceId);
  }

  @Get(':invoiceId/pdf')
  async pdf(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('invoiceId', ParseUUIDPipe) invoiceId: string,
    @Res() res: Response,
  ) {
    const file = await this.invoices.pdfPath(orgId, invoiceId);
    res.sendFile(file, { dotfiles: 'deny' });
  }
}
