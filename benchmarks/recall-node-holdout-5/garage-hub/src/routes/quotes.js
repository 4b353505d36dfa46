'use strict';

const Router = require('@koa/router');
const { Workshop } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth, requireRole } = require('../middleware/auth');
const quoteService = require('../services/quoteService');

const router = new Router();

router.post('/bookings/:bookingId/quotes', requireAuth, requireRole('mechanic', 'workshop_owner'), async (ctx) => {
  const workshop = await Workshop.findById(ctx.state.user.workshopId).select('hourlyRateCents').lean();
  if (!workshop) {
    throw new AppError(403, 'Not attached to a workshop', 'forbidden');
  }
  const { lines } = ctx.request.body || {};
  ctx.status = 201;
  ctx.body = await quoteService.createQuote(workshop, ctx.params.bookingId, lines);
});

router.post('/quotes/:quoteId/accept', requireAuth, async (ctx) => {
  ctx.body = await quoteService.acceptQuote(ctx.params.quoteId, ctx.state.user.id);
});

module.exports = router;
