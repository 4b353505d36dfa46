import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Invoice } from './invoice.entity';
import { InvoiceLine } from './invoice-line.entity';
import { BillingPeriod } from './billing-period.entity';
import { Organization } from '../orgs/organization.entity';
import { Membership } from '../orgs/membership.entity';
import { InvoicesService } from './invoices.service';
import { InvoicesController } from './invoices.controller';
import { InvoiceCronService } from './invoice-cron.service';
import { FxClient } from './fx.client';

@Module({
  imports: [TypeOrmModule.forFeature([Invoice, InvoiceLine, BillingPeriod, Organization, Membership])],
  controllers: [InvoicesController],
  providers: [InvoicesService, InvoiceCronService, FxClient],
  exports: [InvoicesService],
})
export class InvoicesModule {}
