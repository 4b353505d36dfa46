'use strict';

const Router = require('@koa/router');
const { requireAuth } = require('../middleware/auth');
const reviewService = require('../services/reviewService');
const { AppError } = require('../middleware/errorHandler');
const bookingService = require('../services/bookingService');

const router = new Router();

router.get('/workshops/:workshopId/reviews', async (ctx) => {
  if (!bookingService.isValidId(ctx.params.workshopId)) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  const limit = Math.min(50, Math.max(1, parseInt(ctx.query.limit, 10) || 20));
  ctx.body = await reviewService.listForWorkshop(ctx.params.workshopId, { before: ctx.query.before, limit });
});

router.post('/bookings/:bookingId/review', requireAuth, async (ctx) => {
  const { rating, text } = ctx.request.body || {};
  ctx.status = 201;
  ctx.body = await reviewService.createReview(ctx.state.user.id, ctx.params.bookingId, { rating, text });
});

module.exports = router;
