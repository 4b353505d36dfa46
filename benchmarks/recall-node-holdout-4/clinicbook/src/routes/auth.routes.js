import { Router } from 'express';
import * as ctrl from '../controllers/authController.js';
import { requireAuth } from '../middleware/auth.js';
import { validate } from '../middleware/validate.js';
import { loginLimiter, passwordResetLimiter } from '../middleware/rateLimit.js';
import { asyncHandler } from '../utils/asyncHandler.js';
import { registerRules, loginRules, refreshRules, forgotRules, resetRules } from '../validators/schemas.js';

const router = Router();

router.post('/register', validate(registerRules), asyncHandler(ctrl.register));
router.post('/login', loginLimiter, validate(loginRules), asyncHandler(ctrl.login));
router.post('/refresh', validate(refreshRules), asyncHandler(ctrl.refresh));
router.post('/logout', requireAuth, asyncHandler(ctrl.logout));
router.post('/password/forgot', passwordResetLimiter, validate(forgotRules), asyncHandler(ctrl.forgotPassword));
router.post('/password/reset', passwordResetLimiter, validate(resetRules), asyncHandler(ctrl.resetPassword));
router.post('/password/change', requireAuth, asyncHandler(ctrl.changePassword));
router.get('/me', requireAuth, asyncHandler(ctrl.me));

export default router;
