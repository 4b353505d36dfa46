import type { Request, Response } from 'express';
import type Stripe from 'stripe';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { route } from '../http/middleware';
import { AppError } from '../lib/errors';
import type { WebhookService } from '../services/webhookService';
import type { WalletService } from '../services/walletService';
import type { CreateEndpointBody, TestEndpointBody } from '../http/schemas';

export class WebhookController {
  constructor(
    private readonly webhooks: WebhookService,
    private readonly wallets: WalletService,
    private readonly stripe: Stripe,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  createEndpoint = route(async (req: Request, res: Response) => {
    const input = req.body as z.infer<typeof CreateEndpointBody>;
    res.status(201).json(await this.webhooks.createEndpoint(req.membership!.workspaceId, input));
  });

  listEndpoints = route(async (req: Request, res: Response) => {
    res.json(await this.webhooks.listEndpoints(req.membership!.workspaceId));
  });

  deleteEndpoint = route(async (req: Request, res: Response) => {
    await this.webhooks.deleteEndpoint(req.membership!.workspaceId, String(req.params.endpointId));
    res.status(204).end();
  });

  testEndpoint = route(async (req: Request, res: Response) => {
    const { url } = req.body as z.infer<typeof TestEndpointBody>;
    res.json(await this.webhooks.sendTest(req.membership!.workspaceId, url));
  });

  /** Stripe -> meterline. Mounted with express.raw so the signature can be checked over the exact bytes. */
  stripeEvent = route(async (req: Request, res: Response) => {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(req.body as Buffer, req.get('stripe-signature') ?? '', this.config.STRIPE_WEBHOOK_SECRET);
    } catch {
      throw new AppError(400, 'bad_signature', 'Invalid Stripe signature');
    }

    switch (event.type) {
      case 'checkout.session.completed': {
        const session = event.data.object;
        const workspaceId = session.metadata?.workspaceId;
        if (session.payment_status === 'paid' && workspaceId && session.amount_total) {
          await this.wallets.applyTopUp(workspaceId, session.amount_total, session.id);
        }
        break;
      }
      case 'invoice.paid': {
        const invoice = event.data.object;
        this.logger.info({ stripeInvoice: invoice.id }, 'stripe invoice paid');
        break;
      }
      default:
        this.logger.debug({ type: event.type }, 'ignored stripe event');
    }
    res.json({ received: true });
  });
}
