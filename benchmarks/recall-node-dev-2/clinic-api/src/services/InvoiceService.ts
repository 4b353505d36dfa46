import type { InvoiceItemInput, InvoiceRepository } from '../repositories/InvoiceRepository.js';
import { HttpError, notFound } from '../utils/httpError.js';

export interface CreateInvoiceInput {
  patientId: number;
  appointmentId?: number;
  dueDate: string;
  notes?: string;
  items: InvoiceItemInput[];
}

export class InvoiceService {
  constructor(private readonly invoices: InvoiceRepository) {}

  async create(input: CreateInvoiceInput, createdBy: number) {
    const total = input.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);

    const invoice = await this.invoices.insert({
      patientId: input.patientId,
      appointmentId: input.appointmentId,
      total,
      dueDate: input.dueDate,
      notes: input.notes,
      createdBy,
    });
    await this.invoices.insertItems(invoice.id, input.items);
    return invoice;
  }

  async getInvoice(invoiceId: number) {
    const invoice = await this.invoices.findById(invoiceId);
    if (!invoice) throw notFound('invoice');
    const items = await this.invoices.findItems(invoiceId);
    return { ...invoice, items };
  }

  async listForPatient(patientId: number, page: number, pageSize: number) {
    return this.invoices.listForPatient(patientId, pageSize, (page - 1) * pageSize);
  }

  async writeOff(invoiceId: number, userId: number, reason: string) {
    const invoice = await this.invoices.writeOff(invoiceId, userId, reason);
    if (!invoice) throw new HttpError(409, 'only open invoices can be written off');
    return invoice;
  }
}
