import { Router } from 'express';
import { HttpError, asyncRoute, ensureRole, verifyCsrf } from '../middleware/guards.js';
import { query } from '../db/pool.js';
import { payouts } from '../repositories/index.js';
import * as donationService from '../services/donationService.js';

const router = Router();
router.use(ensureRole('admin'), verifyCsrf);

router.get(
  '/campaigns/:id/payouts',
  asyncRoute(async (req, res) => {
    res.json(await payouts.listForCampaign(Number(req.params.id)));
  }),
);

router.post(
  '/donations/:id/refund',
  asyncRoute(async (req, res) => {
    const reason = String(req.body.reason ?? 'requested_by_customer').slice(0, 100);
    await donationService.refund(Number(req.params.id), reason);
    res.status(204).end();
  }),
);

router.put(
  '/campaigns/:id/featured',
  asyncRoute(async (req, res) => {
    const rank = req.body.rank === null ? null : Number.parseInt(req.body.rank, 10);
    if (rank !== null && !(rank >= 1 && rank <= 12)) {
      throw new HttpError(422, 'rank must be 1-12 or null', 'invalid');
    }
    const { rowCount } = await query('UPDATE campaigns SET featured_rank = $2 WHERE id = $1', [
      Number(req.params.id),
      rank,
    ]);
    if (!rowCount) throw new HttpError(404, 'Campaign not found', 'not_found');
    res.status(204).end();
  }),
);

export default router;
