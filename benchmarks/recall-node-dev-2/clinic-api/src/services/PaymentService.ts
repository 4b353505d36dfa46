import type { PaymentGateway } from '../clients/paymentGateway.js';
import { withTransaction } from '../db.js';
import { logger } from '../logger.js';
import type { InvoiceRepository } from '../repositories/InvoiceRepository.js';
import type { AuthUser } from '../types/auth.js';
import { HttpError, notFound } from '../utils/httpError.js';
import { fromCents, toCents } from '../utils/money.js';

export class PaymentService {
  constructor(
    private readonly invoices: InvoiceRepository,
    private readonly gateway: PaymentGateway,
  ) {}

  async recordPayment(invoiceId: number, amount: string, method: string, reference: string | undefined, recordedBy: number) {
    return withTransaction(async (client) => {
      const invoice = await this.invoices.lockById(client, invoiceId);
      if (!invoice) throw notFound('invoice');
      if (invoice.status !== 'open') throw new HttpError(409, `invoice is ${invoice.status}`);

      const outstandingCents = toCents(invoice.total) - toCents(invoice.amount_paid);
      if (toCents(amount) > outstandingCents) {
        throw new HttpError(422, `amount exceeds the outstanding balance of ${fromCents(outstandingCents)}`);
      }

      const payment = await this.invoices.insertPayment(client, { invoiceId, amount, method, reference, recordedBy });
      const updated = await this.invoices.applyPayment(client, invoiceId, amount);
      return { payment, invoice: updated };
    });
  }

  async payByCard(user: AuthUser, invoiceId: number, cardToken: string) {
    return withTransaction(async (client) => {
      const invoice = await this.invoices.lockById(client, invoiceId);
      if (!invoice || invoice.patient_id !== user.patientId) throw notFound('invoice');
      if (invoice.status !== 'open') throw new HttpError(409, `invoice is ${invoice.status}`);

      const outstandingCents = toCents(invoice.total) - toCents(invoice.amount_paid);
      if (outstandingCents <= 0) throw new HttpError(409, 'nothing to pay');

      const charge = await this.gateway.charge({
        amountCents: outstandingCents,
        currency: 'usd',
        cardToken,
        reference: `Invoice ${invoice.id}`,
      });
      if (charge.status !== 'succeeded') {
        throw new HttpError(402, 'the card was declined');
      }

      const amount = fromCents(outstandingCents);
      const payment = await this.invoices.insertPayment(client, { invoiceId, amount, method: 'card', reference: charge.id });
      const updated = await this.invoices.applyPayment(client, invoiceId, amount);
      logger.info({ invoiceId, chargeId: charge.id }, 'card payment captured');
      return { payment, invoice: updated };
    });
  }
}
