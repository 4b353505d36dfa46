import type { Request, Response } from 'express';
import type { InvoiceService, CreateInvoiceInput } from '../services/InvoiceService.js';
import type { PaymentService } from '../services/PaymentService.js';

export class InvoiceController {
  constructor(
    private readonly invoices: InvoiceService,
    private readonly payments: PaymentService,
  ) {}

  create = async (req: Request, res: Response) => {
    const invoice = await this.invoices.create(req.body as CreateInvoiceInput, req.user!.id);
    res.status(201).json(invoice);
  };

  get = async (req: Request, res: Response) => {
    res.json(await this.invoices.getInvoice(Number(req.params.id)));
  };

  listMine = async (req: Request, res: Response) => {
    const pageSize = Math.min(Number(req.query.pageSize) || 20, 100);
    const page = Math.max(Number(req.query.page) || 1, 1);
    res.json(await this.invoices.listForPatient(req.user!.patientId!, page, pageSize));
  };

  recordPayment = async (req: Request, res: Response) => {
    const { amount, method, reference } = req.body as { amount: string; method: string; reference?: string };
    const result = await this.payments.recordPayment(Number(req.params.id), amount, method, reference, req.user!.id);
    res.status(201).json(result);
  };

  payByCard = async (req: Request, res: Response) => {
    const result = await this.payments.payByCard(req.user!, Number(req.params.id), req.body.cardToken);
    res.status(201).json(result);
  };

  writeOff = async (req: Request, res: Response) => {
    const invoice = await this.invoices.writeOff(Number(req.params.id), req.user!.id, req.body.reason);
    res.json(invoice);
  };
}
