import { Router } from 'express';
import { HttpError, asyncRoute } from '../middleware/guards.js';
import { campaigns, donations, donors } from '../repositories/index.js';

const router = Router();

function csvCell(value) {
  const s = String(value ?? '');
  // Prefix formula-looking cells so spreadsheets treat them as text.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

router.get(
  '/campaigns/:slug/summary.json',
  asyncRoute(async (req, res) => {
    const campaign = await campaigns.findBySlug(req.params.slug);
    if (!campaign || campaign.status === 'draft') throw new HttpError(404, 'Campaign not found', 'not_found');
    const totals = await donations.totalsForCampaign(campaign.id);
    res.set('Cache-Control', 'public, max-age=60').json({
      slug: campaign.slug,
      goalCents: campaign.goal_cents,
      totalCents: totals.total_cents,
      donorCount: totals.donor_count,
    });
  }),
);

router.get(
  '/donors.csv',
  asyncRoute(async (_req, res) => {
    const rows = await donors.listForExport();
    const lines = ['email,display_name,city,country,marketing_opt_in,lifetime_cents'];
    for (const r of rows) {
      lines.push(
        [r.email, r.display_name, r.city, r.country, r.marketing_opt_in, r.lifetime_cents].map(csvCell).join(','),
      );
    }
    res.set('Content-Disposition', 'attachment; filename="donors.csv"').type('text/csv').send(lines.join('\n'));
  }),
);

export default router;
