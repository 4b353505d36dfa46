import { Router } from 'express';
import * as ctrl from '../controllers/appointmentController.js';
import * as billing from '../controllers/billingController.js';
import { requireAuth, requireRole, STAFF_ROLES } from '../middleware/auth.js';
import { validate } from '../middleware/validate.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import { objectIdParam, bookRules, cancelRules, prepayRules, invoiceRules } from '../validators/schemas.js';

const router = Router();
router.use(requireAuth);

router.get('/mine', asyncHandler(ctrl.mine));
router.post('/', validate(bookRules), asyncHandler(ctrl.book));
router.post(
  '/slots/:slotId/hold',
  requireRole(...STAFF_ROLES),
  validate([objectIdParam('slotId')]),
  asyncHandler(ctrl.hold),
);
router.get('/:appointmentId', validate([objectIdParam('appointmentId')]), asyncHandler(ctrl.get));
router.post('/:appointmentId/cancel', validate(cancelRules), asyncHandler(ctrl.cancel));
router.post('/:appointmentId/prepay', validate(prepayRules), asyncHandler(ctrl.prepay));
router.post('/:appointmentId/check-in', requireRole(...STAFF_ROLES), asyncHandler(ctrl.checkIn));
router.post(
  '/:appointmentId/invoice',
  requireRole('receptionist', 'clinic_admin'),
  validate(invoiceRules),
  asyncHandler(billing.invoiceAppointment),
);

export default router;
