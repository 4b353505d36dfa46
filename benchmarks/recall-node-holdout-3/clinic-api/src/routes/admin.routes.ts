import { Router } from 'express';
import { z } from 'zod';
import { AuthController } from '../controllers/AuthController';
import { roleChangeSchema } from '../dto/schemas';
import { requireAuth, requireRole } from '../middleware/auth';
import { asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

const inviteSchema = z.object({
  email: z.string().email().max(254),
  role: z.enum(['admin', 'clinician', 'frontdesk']),
});

export function adminRoutes(auth: AuthController): Router {
  const router = Router();
  router.use(requireAuth, requireRole('admin'));

  router.get('/users', asyncHandler(auth.listUsers));
  router.post('/users/invite', validateBody(inviteSchema), asyncHandler(auth.invite));
  router.put('/users/:userId/role', validateBody(roleChangeSchema), asyncHandler(auth.changeRole));
  return router;
}
