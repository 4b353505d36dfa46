import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import { AuthController } from '../controllers/AuthController';
import { loginSchema, resetConfirmSchema, resetRequestSchema } from '../dto/schemas';
import { asyncHandler } from '../middleware/errors';
import { validateBody } from '../middleware/validate';

const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  keyGenerator: (req) => `${req.ip}:${String(req.body?.email ?? '').toLowerCase()}`,
});

const resetLimiter = rateLimit({ windowMs: 60 * 60 * 1000, limit: 5, standardHeaders: 'draft-7' });

export function authRoutes(controller: AuthController): Router {
  const router = Router();
  router.post('/login', loginLimiter, validateBody(loginSchema), asyncHandler(controller.login));
  router.post('/portal/login', loginLimiter, validateBody(loginSchema), asyncHandler(controller.portalLogin));
  router.post('/password-reset', resetLimiter, validateBody(resetRequestSchema), asyncHandler(controller.requestReset));
  router.post(
    '/password-reset/confirm',
    resetLimiter,
    validateBody(resetConfirmSchema),
    asyncHandler(controller.confirmReset),
  );
  return router;
}
