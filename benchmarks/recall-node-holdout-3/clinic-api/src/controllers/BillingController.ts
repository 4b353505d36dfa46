import { createHash, createHmac, timingSafeEqual } from 'crypto';
import { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { logger } from '../logger';
import { currentUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { BillingService, GatewayEvent } from '../services/BillingService';

const SIGNATURE_TOLERANCE_S = 300;

export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly dataSource: DataSource,
    private readonly cfg: AppConfig,
  ) {}

  create = async (req: Request, res: Response) => {
    res.status(201).json(await this.billing.createInvoice(currentUser(req), req.body));
  };

  get = async (req: Request, res: Response) => {
    res.json(await this.billing.getInvoice(currentUser(req), req.params.invoiceId));
  };

  pay = async (req: Request, res: Response) => {
    const payment = await this.billing.pay(currentUser(req), req.params.invoiceId, req.body);
    res.status(201).json({ id: payment.id, status: payment.status });
  };

  refund = async (req: Request, res: Response) => {
    await this.billing.refund(currentUser(req), req.params.invoiceId, req.body);
    res.status(204).end();
  };

  revenue = async (req: Request, res: Response) => {
    const user = currentUser(req);
    const days = Math.min(Math.max(Number(req.query.days) || 30, 1), 366);
    const rows: Array<{ day: string; method: string; cents: string }> = await this.dataSource.query(
      `SELECT date_trunc('day', p.created_at)::date::text AS day,
              p.method,
              sum(round(p.amount * 100))::bigint::text AS cents
         FROM payments p
         JOIN invoices i ON i.id = p.invoice_id
        WHERE i.clinic_id = $1
          AND p.status = 'succeeded'
          AND p.created_at >= now() - make_interval(days => $2)
        GROUP BY 1, 2
        ORDER BY 1`,
      [user.clinicId, days],
    );
    const body = JSON.stringify({ days, rows });
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    if (req.headers['if-none-match'] === etag) {
      return res.status(304).end();
    }
    res.set('ETag', etag).type('application/json').send(body);
  };

  /** Mounted with express.raw(): the signature covers the exact bytes we received. */
  gatewayWebhook = async (req: Request, res: Response) => {
    const header = req.get('X-Paylane-Signature') ?? '';
    const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=', 2) as [string, string]));
    const timestamp = Number(parts.t);
    if (!parts.v1 || !Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > SIGNATURE_TOLERANCE_S) {
      throw new HttpError(400, 'bad signature');
    }
    const expected = createHmac('sha256', this.cfg.payments.webhookSecret)
      .update(`${timestamp}.`)
      .update(req.body as Buffer)
      .digest();
    const given = Buffer.from(parts.v1, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new HttpError(400, 'bad signature');
    }
    const event = JSON.parse((req.body as Buffer).toString('utf8')) as GatewayEvent;
    await this.billing.applyGatewayEvent(event);
    logger.debug({ eventId: event.id }, 'webhook accepted');
    res.status(204).end();
  };
}
