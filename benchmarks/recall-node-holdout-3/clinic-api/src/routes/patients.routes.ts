import { Router } from 'express';
import { PatientController } from '../controllers/PatientController';
import {
  createPatientSchema,
  importDocumentSchema,
  patientListQuery,
  updatePatientSchema,
} from '../dto/schemas';
import { requireAuth, requireRole, requireStaff } from '../middleware/auth';
import { asyncHandler } from '../middleware/errors';
import { validateBody, validateQuery } from '../middleware/validate';

export function patientRoutes(controller: PatientController): Router {
  const router = Router();
  router.use(requireAuth);

  router.get('/', requireStaff, validateQuery(patientListQuery), asyncHandler(controller.list));
  router.post('/', requireStaff, validateBody(createPatientSchema), asyncHandler(controller.create));
  router.get('/:patientId', asyncHandler(controller.get));
  router.patch('/:patientId', validateBody(updatePatientSchema), asyncHandler(controller.update));
  router.get('/:patientId/statement', asyncHandler(controller.statement));
  router.post(
    '/:patientId/documents/import',
    requireRole('clinician', 'admin'),
    validateBody(importDocumentSchema),
    asyncHandler(controller.importDocument),
  );
  return router;
}
