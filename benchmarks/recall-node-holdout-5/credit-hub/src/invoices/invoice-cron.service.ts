import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import { Organization } from '../orgs/organization.entity';
import { BillingPeriod } from './billing-period.entity';
import { InvoicesService } from './invoices.service';

const PAGE = 200;

function previousMonth(now: Date): { start: string; end: string } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}

@Injectable()
export class InvoiceCronService {
  private readonly logger = new Logger(InvoiceCronService.name);

  constructor(
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    @InjectRepository(BillingPeriod) private readonly periods: Repository<BillingPeriod>,
    private readonly invoices: InvoicesService,
  ) {}

  @Cron('0 3 1 * *', { name: 'monthly-invoices', timeZone: 'UTC' })
  async runMonthly(): Promise<void> {
    const { start, end } = previousMonth(new Date());
    const period = await this.periods.findOne({ where: { periodStart: start } });
    if (period?.closedAt) {
      this.logger.log(`period ${start} already closed`);
      return;
    }

    let issued = 0;
    let cursor = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch = await this.orgs.find({ where: { id: MoreThan(cursor) }, order: { id: 'ASC' }, take: PAGE });
      if (batch.length === 0) {
        break;
      }
      for (const org of batch) {
        try {
          const invoice = await this.invoices.generateForOrg(org, start, end);
          if (invoice) {
            issued++;
          }
        } catch {
          continue;
        }
      }
      cursor = batch[batch.length - 1].id;
    }

    await this.periods.save({ periodStart: start, closedAt: new Date(), invoiceCount: issued });
    this.logger.log(`closed period ${start}: ${issued} invoices`);
  }
}
