import { Router } from 'express';
import { AppointmentController } from '../controllers/AppointmentController';
import { bookAppointmentSchema } from '../dto/schemas';
import { requireAuth, requireStaff } from '../middleware/auth';
import { asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

export function appointmentRoutes(controller: AppointmentController): Router {
  const router = Router();
  router.use(requireAuth);

  router.post('/', validateBody(bookAppointmentSchema), asyncHandler(controller.book));
  router.get('/', requireStaff, asyncHandler(controller.byStatus));
  router.get('/:appointmentId', asyncHandler(controller.get));
  router.post('/:appointmentId/cancel', asyncHandler(controller.cancel));
  router.post('/:appointmentId/no-show', requireStaff, asyncHandler(controller.noShow));
  return router;
}
