import { createHash } from 'node:crypto';
import path from 'node:path';
import { Router } from 'express';
import config from '../config.js';
import { HttpError, asyncRoute, ensureAuthenticated, ensureRole, verifyCsrf } from '../middleware/guards.js';
import { campaigns, donations } from '../repositories/index.js';
import * as campaignService from '../services/campaignService.js';

const router = Router();

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

router.get(
  '/',
  asyncRoute(async (req, res) => {
    const rows = await campaignService.listActive({
      category: req.query.category,
      sort: req.query.sort,
      limit: req.query.limit,
      offset: req.query.offset,
    });
    const body = JSON.stringify(rows);
    const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
    if (req.get('If-None-Match') === etag) return res.status(304).end();
    res.set({ ETag: etag, 'Cache-Control': 'public, max-age=30' }).type('json').send(body);
  }),
);

router.get(
  '/featured',
  asyncRoute(async (_req, res) => {
    res.json(await campaignService.listFeatured());
  }),
);

router.get(
  '/search',
  asyncRoute(async (req, res) => {
    res.json(await campaignService.search(req.query.q));
  }),
);

router.get(
  '/:slug',
  asyncRoute(async (req, res) => {
    const campaign = await campaigns.findBySlug(req.params.slug);
    if (!campaign || campaign.status === 'draft') throw new HttpError(404, 'Campaign not found', 'not_found');
    const { organizer_id: _o, ...publicFields } = campaign;
    res.json(publicFields);
  }),
);

router.get(
  '/:id/donations',
  asyncRoute(async (req, res) => {
    res.json(await donations.listPublicForCampaign(Number(req.params.id)));
  }),
);

router.get('/:id/media/:file', (req, res, next) => {
  const file = path.join(config.mediaDir, String(Number(req.params.id)), req.params.file);
  res.sendFile(file, { maxAge: '7d' }, (err) => {
    if (err) next(err.code === 'ENOENT' ? new HttpError(404, 'Not found', 'not_found') : err);
  });
});

router.post(
  '/',
  ensureAuthenticated,
  ensureRole('organizer', 'admin'),
  verifyCsrf,
  asyncRoute(async (req, res) => {
    const { slug, title, summary, category } = req.body;
    const goalCents = Number.parseInt(req.body.goalCents, 10);
    if (!SLUG_RE.test(slug ?? '') || !title || !category || !(goalCents > 0)) {
      throw new HttpError(422, 'slug, title, category and a positive goalCents are required', 'invalid');
    }
    const created = await campaigns.create(req.user.id, {
      slug,
      title: String(title).slice(0, 140),
      summary: String(summary ?? '').slice(0, 2000),
      category,
      goalCents,
      currency: req.body.currency,
    });
    res.status(201).json(created);
  }),
);

router.post(
  '/:id/cover',
  ensureAuthenticated,
  verifyCsrf,
  asyncRoute(async (req, res) => {
    const campaign = await campaignService.getOwned(Number(req.params.id), req.user);
    const fileName = await campaignService.importCover(campaign, String(req.body.imageUrl ?? ''));
    res.status(201).json({ cover: `/api/campaigns/${campaign.id}/media/${fileName}` });
  }),
);

router.post(
  '/:id/close',
  ensureAuthenticated,
  verifyCsrf,
  asyncRoute(async (req, res) => {
    const ok = await campaigns.setStatus(Number(req.params.id), req.user.id, 'closed');
    if (!ok) throw new HttpError(404, 'Campaign not found', 'not_found');
    res.status(204).end();
  }),
);

export default router;
