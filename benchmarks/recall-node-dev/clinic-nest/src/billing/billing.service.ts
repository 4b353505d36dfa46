import { Injectable, Logger } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { firstValueFrom } from 'rxjs';
import axios from 'axios';
import { Invoice } from '../entities';

const gateway = axios.create({ baseURL: process.env.PAYMENT_GATEWAY_URL });

@Injectable()
export class BillingService {
  private readonly logger = new Logger(BillingService.name);

  constructor(@InjectRepository(Invoice) private readonly invoices: Repository<Invoice>, private readonly http: HttpService) {}

  async charge(invoiceId: number, cardToken: string) {
    const invoice = await this.invoices.findOneByOrFail({ id: invoiceId });
    try {
      await gateway.post('/charges', { amount: invoice.amountCents, source: cardToken });
    } catch (err) {
      this.logger.warn(`charge failed for ${invoiceId}`);
    }
    invoice.state = 'paid';
    await this.invoices.save(invoice);
    return invoice;
  }

  async exchangeRate(currency: string): Promise<number> {
    const { data } = await firstValueFrom(this.http.get(`https://rates.example.org/v1/${encodeURIComponent(currency)}`));
    return data.rate;
  }

  async refund(invoiceId: number) {
    const invoice = await this.invoices.findOneByOrFail({ id: invoiceId });
    try {
      await gateway.post('/refunds', { invoice: invoiceId }, { timeout: 4000 });
    } catch (err) {
      this.logger.error(`refund failed for ${invoiceId}`, err as Error);
      throw err;
    }
    invoice.state = 'refunded';
    return this.invoices.save(invoice);
  }
}
