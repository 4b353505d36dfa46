import { Router } from 'express';
import { BillingController } from '../controllers/BillingController';
import { createInvoiceSchema, payInvoiceSchema, refundSchema } from '../dto/schemas';
import { requireAuth, requireRole, requireStaff } from '../middleware/auth';
import { asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

export function invoiceRoutes(controller: BillingController): Router {
  const router = Router();
  router.use(requireAuth);

  router.post('/', requireStaff, validateBody(createInvoiceSchema), asyncHandler(controller.create));
  router.get('/reports/revenue', requireRole('admin'), asyncHandler(controller.revenue));
  router.get('/:invoiceId', asyncHandler(controller.get));
  router.post('/:invoiceId/payments', validateBody(payInvoiceSchema), asyncHandler(controller.pay));
  router.post('/:invoiceId/refunds', requireRole('admin'), validateBody(refundSchema), asyncHandler(controller.refund));
  return router;
}
