'use strict';

const Router = require('@koa/router');
const { Vehicle, Booking } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth } = require('../middleware/auth');
const { decodeVin } = require('../clients/vinDecoder');

const router = new Router({ prefix: '/vehicles' });
router.use(requireAuth);

router.get('/', async (ctx) => {
  ctx.body = await Vehicle.find({ owner: ctx.state.user.id }).sort({ createdAt: -1 }).limit(50).lean();
});

router.post('/', async (ctx) => {
  const { vin, plate, mileageKm } = ctx.request.body || {};
  const normalized = String(vin || '').toUpperCase();
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(normalized)) {
    throw new AppError(400, 'Invalid VIN', 'bad_request');
  }
  const decoded = await decodeVin(normalized);
  const vehicle = await Vehicle.create({
    owner: ctx.state.user.id,
    vin: normalized,
    plate: plate ? String(plate).slice(0, 12) : undefined,
    mileageKm: mileageKm === undefined ? undefined : Math.max(0, Number(mileageKm) || 0),
    ...decoded,
  });
  ctx.status = 201;
  ctx.body = vehicle;
});

router.get('/:id', async (ctx) => {
  const vehicle = await Vehicle.findOne({ _id: ctx.params.id, owner: ctx.state.user.id }).lean();
  if (!vehicle) {
    throw new AppError(404, 'Vehicle not found', 'not_found');
  }
  const history = await Booking.find({ vehicle: vehicle._id, customer: ctx.state.user.id })
    .sort({ slotStart: -1 })
    .limit(20)
    .select('workshop slotStart status')
    .lean();
  ctx.body = { ...vehicle, history };
});

router.delete('/:id', async (ctx) => {
  const result = await Vehicle.deleteOne({ _id: ctx.params.id, owner: ctx.state.user.id });
  if (result.deletedCount === 0) {
    throw new AppError(404, 'Vehicle not found', 'not_found');
  }
  ctx.status = 204;
});

module.exports = router;
