import { Router } from 'express';
import authRoutes from './auth.routes.js';
import patientRoutes from './patients.routes.js';
import appointmentRoutes from './appointments.routes.js';
import clinicRoutes from './clinics.routes.js';
import userRoutes from './users.routes.js';
import webhookRoutes from './webhooks.routes.js';
import { requireAuth, requireRole } from '../middleware/auth.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import * as billing from '../controllers/billingController.js';
import { validate } from '../middleware/validate.js';
import { objectIdParam } from '../validators/schemas.js';

const api = Router();

api.use('/auth', authRoutes);
api.use('/patients', patientRoutes);
api.use('/appointments', appointmentRoutes);
api.use('/clinics', clinicRoutes);
api.use('/users', userRoutes);
api.use('/webhooks', webhookRoutes);

api.get('/invoices/:invoiceId', requireAuth, validate([objectIdParam('invoiceId')]), asyncHandler(billing.getInvoice));
api.post(
  '/invoices/:invoiceId/void',
  requireAuth,
  requireRole('receptionist', 'clinic_admin'),
  validate([objectIdParam('invoiceId')]),
  asyncHandler(billing.voidInvoice),
);

export default api;
