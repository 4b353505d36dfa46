import { DataSource, In, Repository } from 'typeorm';
import { PaymentGateway } from '../clients/paymentGateway';
import { AppConfig } from '../config';
import { CreateInvoiceDto, PayInvoiceDto, RefundDto } from '../dto/schemas';
import { Invoice, InvoiceLine } from '../entities/Invoice';
import { Patient } from '../entities/Patient';
import { Payment } from '../entities/Payment';
import { logger } from '../logger';
import { AuthUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';

export interface GatewayEvent {
  id: string;
  type: 'charge.succeeded' | 'charge.failed' | 'charge.refunded';
  data: { chargeId: string };
}

export class BillingService {
  private readonly invoices: Repository<Invoice>;
  private readonly payments: Repository<Payment>;
  private readonly patients: Repository<Patient>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateway: PaymentGateway,
    private readonly cfg: AppConfig['billing'],
  ) {
    this.invoices = dataSource.getRepository(Invoice);
    this.payments = dataSource.getRepository(Payment);
    this.patients = dataSource.getRepository(Patient);
  }

  static totals(lines: Array<{ unitPriceCents: number; quantity: number }>, taxRateBps: number) {
    const subtotalCents = lines.reduce((sum, l) => sum + l.unitPriceCents * l.quantity, 0);
    const taxCents = Math.round((subtotalCents * taxRateBps) / 10_000);
    return { subtotalCents, taxCents, totalCents: subtotalCents + taxCents };
  }

  async createInvoice(user: AuthUser, dto: CreateInvoiceDto): Promise<Invoice> {
    const patient = await this.patients.findOneBy({ id: dto.patientId, clinicId: user.clinicId });
    if (!patient) {
      throw new HttpError(404, 'patient not found');
    }
    const totals = BillingService.totals(dto.lines, this.cfg.taxRateBps);
    const invoice = this.invoices.create({
      clinicId: user.clinicId,
      patientId: patient.id,
      appointmentId: dto.appointmentId ?? null,
      currency: this.cfg.currency,
      status: 'open',
      ...totals,
      lines: dto.lines.map((l) => Object.assign(new InvoiceLine(), l)),
    });
    return this.invoices.save(invoice);
  }

  async getInvoice(user: AuthUser, invoiceId: string): Promise<Invoice> {
    const invoice = await this.invoices.findOne({
      where: { id: invoiceId, clinicId: user.clinicId },
      relations: { lines: true },
    });
    if (!invoice || (user.role === 'patient' && invoice.patientId !== user.patientId)) {
      throw new HttpError(404, 'invoice not found');
    }
    return invoice;
  }

  async statement(user: AuthUser, patientId: string) {
    if (user.role === 'patient' && user.patientId !== patientId) {
      throw new HttpError(404, 'patient not found');
    }
    const invoices = await this.invoices.find({
      where: { patientId, clinicId: user.clinicId },
      order: { createdAt: 'DESC' },
      take: 100,
    });
    const rows = [];
    for (const invoice of invoices) {
      const payments = await this.payments.find({ where: { invoiceId: invoice.id } });
      rows.push({
        id: invoice.id,
        status: invoice.status,
        totalCents: invoice.totalCents,
        paidCents: invoice.paidCents,
        payments: payments.map((p) => ({ id: p.id, status: p.status, method: p.method, at: p.createdAt })),
      });
    }
    return { patientId, invoices: rows };
  }

  async pay(user: AuthUser, invoiceId: string, dto: PayInvoiceDto): Promise<Payment> {
    const invoice = await this.getInvoice(user, invoiceId);
    if (invoice.status !== 'open') {
      throw new HttpError(409, 'invoice is not open for payment', 'invoice_not_open');
    }
    const outstanding = invoice.totalCents - invoice.paidCents;
    if (dto.amountCents > outstanding) {
      throw new HttpError(422, 'amount exceeds the outstanding balance', 'overpayment');
    }
    return dto.method === 'credit'
      ? this.payWithCredit(invoice, dto.amountCents)
      : this.payByCard(invoice, dto);
  }

  private async payWithCredit(invoice: Invoice, amountCents: number): Promise<Payment> {
    return this.dataSource.transaction(async (manager) => {
      const patient = await manager.findOneByOrFail(Patient, { id: invoice.patientId });
      if (patient.creditCents < amountCents) {
        throw new HttpError(422, 'not enough credit', 'insufficient_credit');
      }
      patient.creditCents -= amountCents;
      await manager.save(patient);
      await manager.increment(Invoice, { id: invoice.id }, 'paidCents', amountCents);
      if (invoice.paidCents + amountCents >= invoice.totalCents) {
        await manager.update(Invoice, { id: invoice.id }, { status: 'paid' });
      }
      return manager.save(
        manager.create(Payment, {
          invoiceId: invoice.id,
          amount: amountCents / 100,
          currency: invoice.currency,
          status: 'succeeded',
          method: 'credit',
        }),
      );
    });
  }

  private async payByCard(invoice: Invoice, dto: PayInvoiceDto): Promise<Payment> {
    if (!dto.cardToken) {
      throw new HttpError(400, 'cardToken is required for card payments');
    }
    const charge = await this.gateway.charge({
      amountCents: dto.amountCents,
      currency: invoice.currency,
      cardToken: dto.cardToken,
      reference: invoice.id,
    });
    const payment = await this.payments.save(
      this.payments.create({
        invoiceId: invoice.id,
        amount: dto.amountCents / 100,
        currency: invoice.currency,
        status: charge.status,
        gatewayChargeId: charge.chargeId,
        method: 'card',
      }),
    );
    if (charge.status === 'succeeded') {
      invoice.paidCents += dto.amountCents;
      if (invoice.paidCents >= invoice.totalCents) {
        invoice.status = 'paid';
      }
      await this.invoices.save(invoice);
    }
    return payment;
  }

  async refund(user: AuthUser, invoiceId: string, dto: RefundDto): Promise<void> {
    const invoice = await this.getInvoice(user, invoiceId);
    const payment = await this.payments.findOneBy({ id: dto.paymentId, invoiceId: invoice.id });
    if (!payment || payment.status !== 'succeeded') {
      throw new HttpError(404, 'payment not found or not refundable');
    }
    if (payment.method === 'card' && payment.gatewayChargeId) {
      await this.gateway.refund(payment.gatewayChargeId, payment.id);
    }
    const cents = Math.round(payment.amount * 100);
    await this.dataSource.transaction(async (manager) => {
      await manager.update(Payment, { id: payment.id }, { status: 'refunded' });
      await manager.decrement(Invoice, { id: invoice.id }, 'paidCents', cents);
      await manager.update(Invoice, { id: invoice.id }, { status: 'open' });
      if (payment.method === 'credit') {
        await manager.increment(Patient, { id: invoice.patientId }, 'creditCents', cents);
      }
    });
    logger.info({ invoiceId, paymentId: payment.id, reason: dto.reason }, 'payment refunded');
  }

  /** Applies a verified gateway event; events can arrive more than once. */
  async applyGatewayEvent(event: GatewayEvent): Promise<void> {
    const status =
      event.type === 'charge.succeeded' ? 'succeeded' : event.type === 'charge.failed' ? 'failed' : 'refunded';
    const result = await this.payments
      .createQueryBuilder()
      .update(Payment)
      .set({ status })
      .where('gateway_charge_id = :chargeId AND status <> :status', { chargeId: event.data.chargeId, status })
      .execute();
    logger.info({ eventId: event.id, type: event.type, updated: result.affected }, 'gateway event applied');
  }

  async outstandingByPatient(user: AuthUser, patientIds: string[]) {
    const invoices = await this.invoices.find({
      where: { clinicId: user.clinicId, patientId: In(patientIds), status: 'open' },
      select: { id: true, patientId: true, totalCents: true, paidCents: true },
    });
    const byPatient = new Map<string, number>();
    for (const inv of invoices) {
      byPatient.set(inv.patientId, (byPatient.get(inv.patientId) ?? 0) + inv.totalCents - inv.paidCents);
    }
    return Object.fromEntries(byPatient);
  }
}
