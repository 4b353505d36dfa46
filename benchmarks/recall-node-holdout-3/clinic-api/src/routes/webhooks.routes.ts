import express, { Router } from 'express';
import { BillingController } from '../controllers/BillingController';
import { asyncHandler } from '../middleware/errors';

export function webhookRoutes(billing: BillingController): Router {
  const router = Router();
  router.post(
    '/payments',
    express.raw({ type: 'application/json', limit: '64kb' }),
    asyncHandler(billing.gatewayWebhook),
  );
  return router;
}
