import type { Request, Response } from 'express';
import type { z } from 'zod';
import { route } from '../http/middleware';
import { unprocessable } from '../lib/errors';
import type { WalletService } from '../services/walletService';
import type { InvoiceService } from '../services/invoiceService';
import type { InvoicePreviewQuery, TopUpBody } from '../http/schemas';

export class BillingController {
  constructor(
    private readonly wallets: WalletService,
    private readonly invoices: InvoiceService,
  ) {}

  wallet = route(async (req: Request, res: Response) => {
    res.json(await this.wallets.getWallet(req.membership!.workspaceId));
  });

  ledger = route(async (req: Request, res: Response) => {
    const limit = Math.min(Number(req.query.limit ?? 50) || 50, 200);
    res.json(await this.wallets.ledger(req.membership!.workspaceId, limit));
  });

  topUp = route(async (req: Request, res: Response) => {
    const { amountCents } = req.body as z.infer<typeof TopUpBody>;
    const requestId = req.get('idempotency-key');
    if (!requestId) throw unprocessable('Idempotency-Key header is required');
    res.status(201).json(await this.wallets.createTopUpSession(req.membership!.workspaceId, amountCents, requestId));
  });

  consume = route(async (req: Request, res: Response) => {
    const credits = Number(req.body?.credits);
    const reference = String(req.body?.reference ?? '').slice(0, 128);
    if (!Number.isInteger(credits) || credits <= 0 || credits > 1_000_000_000) throw unprocessable('credits must be a positive integer');
    const ok = await this.wallets.tryConsume(req.membership!.workspaceId, credits, reference);
    res.status(ok ? 200 : 402).json({ consumed: ok });
  });

  listInvoices = route(async (req: Request, res: Response) => {
    res.json(await this.invoices.list(req.membership!.workspaceId));
  });

  getInvoice = route(async (req: Request, res: Response) => {
    res.json(await this.invoices.get(String(req.params.invoiceId)));
  });

  previewInvoice = route(async (req: Request, res: Response) => {
    const { currency } = req.query as unknown as z.infer<typeof InvoicePreviewQuery>;
    res.json(await this.invoices.preview(req.membership!.workspaceId, currency));
  });

  finalizeInvoice = route(async (req: Request, res: Response) => {
    res.json(await this.invoices.finalize(req.membership!.workspaceId, String(req.params.invoiceId)));
  });

  payInvoice = route(async (req: Request, res: Response) => {
    res.json(await this.invoices.payFromWallet(req.membership!.workspaceId, String(req.params.invoiceId)));
  });
}
