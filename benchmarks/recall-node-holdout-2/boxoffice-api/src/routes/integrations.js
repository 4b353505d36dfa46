'use strict';

const express = require('express');
const Joi = require('joi');
const paymentCallbackService = require('../services/paymentCallbackService');
const ticketService = require('../services/ticketService');
const { validate } = require('../middleware/request');
const { requireInternalKey } = require('../middleware/auth');

const router = express.Router();

// Called by the payment provider; authenticated by the HMAC signature header.
router.post('/payments/callback', express.raw({ type: 'application/json', limit: '256kb' }), async (req, res, next) => {
  try {
    const result = await paymentCallbackService.handle(req.body.toString('utf8'), req.get('x-paylane-signature'));
    res.json({ received: true, duplicate: result.duplicate });
  } catch (err) {
    next(err);
  }
});

// Door-scanning kiosks (service-to-service, shared internal key). JSON body.
router.post('/kiosk/scan', requireInternalKey, express.json({ limit: '4kb' }), validate(Joi.object({
  code: Joi.string().alphanum().max(32).required(),
  eventId: Joi.number().integer().required(),
})), async (req, res, next) => {
  try {
    res.json(await ticketService.scan(req.body.code.toUpperCase(), req.body.eventId));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
