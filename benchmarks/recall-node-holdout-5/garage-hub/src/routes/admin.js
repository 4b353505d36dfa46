'use strict';

const Router = require('@koa/router');
const { User, Workshop } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth, requireRole } = require('../middleware/auth');
const { escapeRegex } = require('../lib/regex');

const router = new Router({ prefix: '/admin' });
router.use(requireAuth);

const adminOnly = requireRole('admin');

router.get('/users', adminOnly, async (ctx) => {
  const page = Math.max(1, parseInt(ctx.query.page, 10) || 1);
  const filter = {};
  if (ctx.query.email) {
    filter.email = { $regex: `^${escapeRegex(String(ctx.query.email).toLowerCase())}` };
  }
  ctx.body = await User.find(filter)
    .select('email name role workshop disabled createdAt')
    .sort({ createdAt: -1 })
    .skip((page - 1) * 50)
    .limit(50)
    .lean();
});

router.get('/users/export', async (ctx) => {
  const since = ctx.query.since ? new Date(String(ctx.query.since)) : new Date(0);
  const cursor = User.find({ createdAt: { $gte: since } }).select('email name phone role createdAt').lean().cursor();
  ctx.type = 'text/csv';
  ctx.attachment('users.csv');
  const lines = ['email,name,phone,role,created_at'];
  for await (const u of cursor) {
    lines.push([u.email, JSON.stringify(u.name || ''), u.phone || '', u.role, u.createdAt.toISOString()].join(','));
  }
  ctx.body = lines.join('\n');
});

router.post('/workshops/:id/verify', adminOnly, async (ctx) => {
  const result = await Workshop.updateOne({ _id: ctx.params.id }, { $set: { verified: true } });
  if (result.matchedCount === 0) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  ctx.status = 204;
});

router.post('/users/:id/disable', adminOnly, async (ctx) => {
  await User.updateOne({ _id: ctx.params.id }, { $set: { disabled: true } });
  ctx.status = 204;
});

module.exports = router;
