'use strict';

const Router = require('@koa/router');
const { User } = require('../models');
const { requireAuth } = require('../middleware/auth');
const loyalty = require('../services/loyaltyService');

const router = new Router({ prefix: '/loyalty' });
router.use(requireAuth);

router.get('/', async (ctx) => {
  const user = await User.findById(ctx.state.user.id).select('loyaltyPoints').lean();
  ctx.body = { points: user ? user.loyaltyPoints : 0, rewards: loyalty.catalogue() };
});

router.post('/redeem', async (ctx) => {
  const { reward } = ctx.request.body || {};
  ctx.body = await loyalty.redeem(ctx.state.user.id, String(reward));
});

module.exports = router;
