import cors from 'cors';
import { Router } from 'express';
import { HttpError, asyncRoute, requirePartnerKey } from '../middleware/guards.js';
import { campaigns, donations } from '../repositories/index.js';

const router = Router();

// Server-to-server API keyed by header; no cookies are involved, so any origin may call it.
router.use(cors({ origin: '*', credentials: false }));
router.use(requirePartnerKey);

router.get(
  '/campaigns/:slug/stats',
  asyncRoute(async (req, res) => {
    const campaign = await campaigns.findBySlug(req.params.slug);
    if (!campaign || campaign.status !== 'active') throw new HttpError(404, 'Campaign not found', 'not_found');
    const totals = await donations.totalsForCampaign(campaign.id);
    res.json({
      slug: campaign.slug,
      title: campaign.title,
      goalCents: campaign.goal_cents,
      raisedCents: totals.total_cents,
      donors: totals.donor_count,
    });
  }),
);

export default router;
