import { Router } from 'express';
import * as appointments from '../controllers/appointmentController.js';
import * as practitioners from '../controllers/practitionerController.js';
import * as reports from '../controllers/reportController.js';
import * as admin from '../controllers/adminController.js';
import { requireAuth, requireRole, requireSameClinic, STAFF_ROLES } from '../middleware/auth.js';
import { validate } from '../middleware/validate.js';
import { publicBookingLimiter } from '../middleware/rateLimit.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import { objectIdParam, scheduleRules, slotsRules, monthRules, exportRules } from '../validators/schemas.js';

const router = Router();

// Public booking widget: read-only availability.
router.get('/:clinicId/practitioners', publicBookingLimiter, asyncHandler(practitioners.listForClinic));
router.get('/:clinicId/slots', publicBookingLimiter, validate(slotsRules), asyncHandler(appointments.openSlots));

// Staff area
const staff = Router({ mergeParams: true });
staff.use(requireAuth, requireRole(...STAFF_ROLES, 'platform_admin'), requireSameClinic('clinicId'));

staff.get('/schedule', validate(scheduleRules), asyncHandler(appointments.schedule));
staff.get('/practitioners/:practitionerId/week', asyncHandler(appointments.week));

const adminOnly = requireRole('clinic_admin', 'platform_admin');
staff.get('/reports/appointments.csv', adminOnly, validate(exportRules), asyncHandler(reports.appointmentsExport));
staff.get('/reports/summary', adminOnly, validate(monthRules), asyncHandler(reports.summary));
staff.post('/reports/summary.pdf', adminOnly, validate(monthRules), asyncHandler(reports.summaryPdf));
staff.get('/reports/files/:fileName', adminOnly, asyncHandler(reports.downloadExport));
staff.get('/audit', adminOnly, asyncHandler(reports.audit));
staff.patch('/settings', adminOnly, asyncHandler(admin.updateClinicSettings));
staff.put('/practitioners/:userId', adminOnly, validate([objectIdParam('userId')]), asyncHandler(admin.upsertPractitioner));

router.use('/:clinicId', staff);

export default router;
