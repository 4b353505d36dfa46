import { Router } from 'express';
import multer from 'multer';
import * as ctrl from '../controllers/patientController.js';
import * as billing from '../controllers/billingController.js';
import { requireAuth, requireRole, STAFF_ROLES } from '../middleware/auth.js';
import { validate } from '../middleware/validate.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import { config } from '../config/index.js';
import { objectIdParam, patientRules, importDocumentRules } from '../validators/schemas.js';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: config.maxUploadBytes, files: 1 },
});

const router = Router();
router.use(requireAuth);

router.get('/', requireRole(...STAFF_ROLES, 'platform_admin'), asyncHandler(ctrl.list));
router.post('/', requireRole(...STAFF_ROLES), validate(patientRules), asyncHandler(ctrl.create));
router.get('/:patientId', validate([objectIdParam('patientId')]), asyncHandler(ctrl.get));
router.patch('/:patientId', validate([objectIdParam('patientId'), ...patientRules]), asyncHandler(ctrl.update));
router.delete('/:patientId', requireRole('clinic_admin'), asyncHandler(ctrl.archive));
router.post('/:patientId/documents', upload.single('file'), asyncHandler(ctrl.uploadDocument));
router.post('/:patientId/documents/import', validate(importDocumentRules), asyncHandler(ctrl.importDocument));
router.get('/:patientId/documents/:documentId', asyncHandler(ctrl.downloadDocument));
router.post('/:patientId/insurance/verify', requireRole(...STAFF_ROLES), asyncHandler(ctrl.verifyInsurance));
router.get('/:patientId/invoices', asyncHandler(billing.patientInvoices));

export default router;
