'use strict';

const crypto = require('crypto');
const express = require('express');
const config = require('../config');
const logger = require('../logger');
const Order = require('../models/Order');

const router = express.Router();

function verifySignature(rawBody, signatureHeader, secret) {
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest();
  const provided = Buffer.from(String(signatureHeader || ''), 'hex');
  return provided.length === expected.length && crypto.timingSafeEqual(provided, expected);
}

router.post(
  '/carrier',
  express.raw({ type: 'application/json', limit: '256kb' }),
  async (req, res, next) => {
    try {
      if (!verifySignature(req.body, req.get('x-carrier-signature'), config.shipping.webhookSecret)) {
        return res.status(401).json({ error: 'invalid signature' });
      }
      const event = JSON.parse(req.body.toString('utf8'));

      if (event.type === 'shipment.delivered') {
        await Order.updateOne(
          { trackingNumber: String(event.data.tracking_number), status: 'fulfilled' },
          { status: 'delivered', deliveredAt: new Date(event.data.delivered_at) },
        );
      } else {
        logger.debug('ignoring carrier event', { type: event.type });
      }
      return res.status(204).end();
    } catch (err) {
      return next(err);
    }
  },
);

module.exports = router;
