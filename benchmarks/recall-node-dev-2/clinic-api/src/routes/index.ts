import { Router } from 'express';
import { repositories, services } from '../container.js';
import { AppointmentController } from '../controllers/AppointmentController.js';
import { AuthController } from '../controllers/AuthController.js';
import { InvoiceController } from '../controllers/InvoiceController.js';
import { LabResultController } from '../controllers/LabResultController.js';
import { PatientController } from '../controllers/PatientController.js';
import { PublicController } from '../controllers/PublicController.js';
import { ReportController } from '../controllers/ReportController.js';
import { StaffController } from '../controllers/StaffController.js';
import * as schemas from '../controllers/schemas.js';
import { authenticate, CLINICAL_ROLES, requireRole, STAFF_ROLES } from '../middleware/authenticate.js';
import { otpRequestLimiter, paymentLimiter, staffLoginLimiter } from '../middleware/rateLimits.js';
import { validate } from '../middleware/validate.js';
import { asyncHandler as h } from '../utils/asyncHandler.js';

const auth = new AuthController(services.auth);
const patients = new PatientController(services.patients);
const appointments = new AppointmentController(services.appointments);
const invoices = new InvoiceController(services.invoices, services.payments);
const labResults = new LabResultController(services.labResults);
const staff = new StaffController(repositories.users);
const reports = new ReportController(repositories.reports);
const publicApi = new PublicController(repositories.clinics);

export function authRoutes(): Router {
  const r = Router();
  r.post('/staff/login', staffLoginLimiter, validate(schemas.staffLoginSchema), h(auth.staffLogin));
  r.post('/staff/invites/accept', staffLoginLimiter, validate(schemas.acceptInviteSchema), h(auth.acceptInvite));
  r.post('/patient/code', otpRequestLimiter, validate(schemas.patientCodeRequestSchema), h(auth.requestPatientCode));
  r.post('/patient/verify', validate(schemas.patientCodeVerifySchema), h(auth.verifyPatientCode));
  return r;
}

export function patientRoutes(): Router {
  const r = Router();
  r.use(authenticate);
  r.get('/me', requireRole('patient'), h(patients.me));
  r.patch('/me', requireRole('patient'), validate(schemas.updateContactSchema), h(patients.updateMe));
  r.get('/', requireRole(...CLINICAL_ROLES, 'admin'), h(patients.search));
  r.get('/:id', requireRole(...CLINICAL_ROLES, 'admin'), h(patients.getById));
  return r;
}

export function appointmentRoutes(): Router {
  const r = Router();
  r.use(authenticate);
  r.get('/mine', requireRole('patient'), h(appointments.listMine));
  r.post('/', validate(schemas.bookingSchema), h(appointments.book));
  r.get('/:id', h(appointments.get));
  return r;
}

export function invoiceRoutes(): Router {
  const r = Router();
  r.get('/mine', authenticate, requireRole('patient'), h(invoices.listMine));
  r.get('/:id', authenticate, h(invoices.get));
  r.post('/', authenticate, requireRole('billing', 'admin'), validate(schemas.createInvoiceSchema), h(invoices.create));
  r.post(
    '/:id/payments',
    authenticate,
    requireRole('billing', 'admin'),
    validate(schemas.recordPaymentSchema),
    h(invoices.recordPayment),
  );
  r.post(
    '/:id/card-payment',
    authenticate,
    requireRole('patient'),
    paymentLimiter,
    validate(schemas.cardPaymentSchema),
    h(invoices.payByCard),
  );
  r.post('/:id/write-off', authenticate, validate(schemas.writeOffSchema), h(invoices.writeOff));
  return r;
}

export function labResultRoutes(): Router {
  const r = Router();
  r.get('/mine', authenticate, requireRole('patient'), h(labResults.listMine));
  r.get('/:id', authenticate, h(labResults.get));
  r.get('/:id/report.pdf', h(labResults.downloadPdf));
  return r;
}

export function staffRoutes(): Router {
  const r = Router();
  r.use(authenticate, requireRole(...STAFF_ROLES));
  r.get('/me', h(staff.me));
  r.get('/users', requireRole('admin'), h(staff.list));
  r.get('/reports/:kind', requireRole('admin'), validate(schemas.reportQuerySchema, 'query'), h(reports.dailyCounts));
  return r;
}

export function publicRoutes(): Router {
  const r = Router();
  r.get('/clinics', h(publicApi.listClinics));
  return r;
}
