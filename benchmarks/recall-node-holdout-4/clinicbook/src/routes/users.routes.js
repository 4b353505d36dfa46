import { Router } from 'express';
import * as admin from '../controllers/adminController.js';
import { requireAuth, requireRole } from '../middleware/auth.js';
import { validate } from '../middleware/validate.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import { objectIdParam, roleRules } from '../validators/schemas.js';

const router = Router();
router.use(requireAuth);

router.get('/', requireRole('clinic_admin', 'platform_admin'), asyncHandler(admin.listStaff));
router.patch('/:userId/role', validate(roleRules), asyncHandler(admin.setUserRole));
router.post(
  '/:userId/disable',
  requireRole('clinic_admin', 'platform_admin'),
  validate([objectIdParam('userId')]),
  asyncHandler(admin.disableUser),
);

export default router;
