import cors from 'cors';
import { Router } from 'express';
import { AppointmentController } from '../controllers/AppointmentController';
import { BillingController } from '../controllers/BillingController';
import { PatientController } from '../controllers/PatientController';
import { bookAppointmentSchema, payInvoiceSchema } from '../dto/schemas';
import { currentUser, requireAuth, requireRole } from '../middleware/auth';
import { asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

/**
 * Endpoints for the patient portal. The portal is embedded in each clinic's own
 * website, so it has its own CORS policy and is mounted ahead of the staff API.
 */
export function portalRoutes(
  patients: PatientController,
  appointments: AppointmentController,
  billing: BillingController,
): Router {
  const router = Router();
  router.use(cors({ origin: true, credentials: true, maxAge: 600 }));
  router.use(requireAuth, requireRole('patient'));

  // The shared handlers read :patientId; the portal always means the caller.
  router.get('/me', asyncHandler(async (req, res) => {
    req.params.patientId = currentUser(req).patientId ?? '';
    await patients.get(req, res);
  }));
  router.get('/statement', asyncHandler(async (req, res) => {
    req.params.patientId = currentUser(req).patientId ?? '';
    await patients.statement(req, res);
  }));
  router.post('/appointments', validateBody(bookAppointmentSchema), asyncHandler(appointments.book));
  router.get('/appointments/:appointmentId', asyncHandler(appointments.get));
  router.post('/appointments/:appointmentId/cancel', asyncHandler(appointments.cancel));
  router.get('/invoices/:invoiceId', asyncHandler(billing.get));
  router.post('/invoices/:invoiceId/payments', validateBody(payInvoiceSchema), asyncHandler(billing.pay));
  return router;
}
