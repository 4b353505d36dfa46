'use strict';

const Router = require('@koa/router');
const { Workshop, Part } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth, requireWorkshopStaff, requireRole } = require('../middleware/auth');
const { escapeRegex } = require('../lib/regex');
const { parseAmountToCents } = require('../lib/money');
const { syncCalendar } = require('../services/calendarService');
const bookingService = require('../services/bookingService');

const router = new Router({ prefix: '/workshops' });

const PUBLIC_FIELDS = 'name slug city address services bays hourlyRateCents openingHours rating ratingCount';
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

router.get('/', async (ctx) => {
  const filter = { verified: true };
  if (ctx.query.city) {
    filter.city = String(ctx.query.city);
  }
  if (ctx.query.service) {
    filter.services = String(ctx.query.service);
  }
  if (ctx.query.q) {
    filter.name = { $regex: escapeRegex(String(ctx.query.q).slice(0, 60)), $options: 'i' };
  }
  ctx.body = await Workshop.find(filter).select(PUBLIC_FIELDS).sort({ rating: -1 }).lean();
});

router.get('/:workshopId', async (ctx) => {
  if (!bookingService.isValidId(ctx.params.workshopId)) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  const workshop = await Workshop.findOne({ _id: ctx.params.workshopId, verified: true }).select(PUBLIC_FIELDS).lean();
  if (!workshop) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  ctx.body = workshop;
});

router.put('/:workshopId', requireAuth, requireWorkshopStaff, requireRole('workshop_owner', 'admin'), async (ctx) => {
  const workshop = await Workshop.findById(ctx.params.workshopId);
  if (!workshop) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  workshop.set(ctx.request.body);
  await workshop.save();
  ctx.body = workshop;
});

router.put('/:workshopId/hours', async (ctx) => {
  const hours = (ctx.request.body || {}).openingHours;
  if (!Array.isArray(hours) || hours.length > 14) {
    throw new AppError(400, 'openingHours must be an array of at most 14 entries', 'bad_request');
  }
  const clean = hours.map((h) => {
    if (!Number.isInteger(h.day) || h.day < 0 || h.day > 6 || !HHMM.test(h.opens) || !HHMM.test(h.closes)) {
      throw new AppError(400, 'Invalid opening hours entry', 'bad_request');
    }
    return { day: h.day, opens: h.opens, closes: h.closes };
  });
  const result = await Workshop.updateOne({ _id: ctx.params.workshopId }, { $set: { openingHours: clean } });
  if (result.matchedCount === 0) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  ctx.status = 204;
});

router.post('/:workshopId/calendar/sync', requireAuth, requireWorkshopStaff, async (ctx) => {
  ctx.body = await syncCalendar(ctx.params.workshopId);
});

router.get('/:workshopId/parts', requireAuth, requireWorkshopStaff, async (ctx) => {
  const page = Math.max(1, parseInt(ctx.query.page, 10) || 1);
  ctx.body = await Part.find({ workshop: ctx.params.workshopId })
    .sort({ sku: 1 })
    .skip((page - 1) * 100)
    .limit(100)
    .lean();
});

router.post('/:workshopId/parts', requireAuth, requireWorkshopStaff, async (ctx) => {
  const { sku, name, price, stock } = ctx.request.body || {};
  if (typeof sku !== 'string' || !/^[A-Z0-9-]{2,40}$/.test(sku) || typeof name !== 'string') {
    throw new AppError(400, 'sku and name are required', 'bad_request');
  }
  const part = await Part.create({
    workshop: ctx.params.workshopId,
    sku,
    name: name.slice(0, 120),
    priceCents: parseAmountToCents(price),
    stock: Math.max(0, parseInt(stock, 10) || 0),
  });
  ctx.status = 201;
  ctx.body = part;
});

router.get('/:workshopId/bookings', requireAuth, requireWorkshopStaff, async (ctx) => {
  const page = Math.max(1, parseInt(ctx.query.page, 10) || 1);
  ctx.body = await bookingService.listForWorkshop(ctx.params.workshopId, { from: ctx.query.from, page });
});

module.exports = router;
