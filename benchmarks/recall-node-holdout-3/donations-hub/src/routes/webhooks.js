import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { Router } from 'express';
import config from '../config.js';
import { query } from '../db/pool.js';
import logger from '../logger.js';
import { HttpError, asyncRoute } from '../middleware/guards.js';
import { campaigns, donations } from '../repositories/index.js';

const router = Router();

function verifySignature(rawBody, header) {
  const expected = createHmac('sha256', config.gateway.webhookSecret).update(rawBody).digest('hex');
  const given = String(header ?? '');
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

router.post(
  '/gateway',
  express.raw({ type: 'application/json', limit: '100kb' }),
  asyncRoute(async (req, res) => {
    if (!verifySignature(req.body, req.get('Payrail-Signature'))) {
      throw new HttpError(401, 'Bad signature', 'bad_signature');
    }
    const event = JSON.parse(req.body.toString('utf8'));
    const { rowCount } = await query(
      'INSERT INTO webhook_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [event.id, event.type],
    );
    if (rowCount === 0) {
      return res.status(200).json({ duplicate: true });
    }
    if (event.type === 'charge.refunded' || event.type === 'charge.disputed') {
      const status = event.type === 'charge.refunded' ? 'refunded' : 'disputed';
      const changed = await donations.updateStatusByCharge(event.data.charge_id, status);
      if (changed) {
        await campaigns.addRaised(changed.campaign_id, -changed.amount_cents);
      }
    }
    logger.info({ eventId: event.id, type: event.type }, 'gateway event processed');
    res.status(200).json({ received: true });
  }),
);

export default router;
