import { Router } from 'express';
import { ensureAuthenticated } from '../middleware/guards.js';
import admin from './admin.js';
import auth from './auth.js';
import campaigns from './campaigns.js';
import donations from './donations.js';
import donors from './donors.js';
import reports from './reports.js';

export { default as partner } from './partner.js';
export { default as webhooks } from './webhooks.js';

export function apiRouter() {
  const router = Router();

  // Public: campaign pages, sign-in, and the embeddable summary widgets.
  router.use('/auth', auth);
  router.use('/campaigns', campaigns);
  router.use('/reports', reports);

  router.use(ensureAuthenticated);
  router.use('/donations', donations);
  router.use('/donors', donors);
  router.use('/admin', admin);
  return router;
}
