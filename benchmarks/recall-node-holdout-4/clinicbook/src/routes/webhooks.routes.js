import { Router } from 'express';
import * as ctrl from '../controllers/webhookController.js';
import { asyncHandler } from '../utils/asyncHandler.js';

// No bearer auth here: each handler verifies the provider's HMAC signature
// against req.rawBody (captured by the JSON parser's verify hook in app.js).
const router = Router();

router.post('/billing', asyncHandler(ctrl.billingEvent));
router.post('/sms', asyncHandler(ctrl.inboundSms));

export default router;
