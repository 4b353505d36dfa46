'use strict';

const Router = require('@koa/router');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth, requireRole } = require('../middleware/auth');
const bookingService = require('../services/bookingService');
const photoService = require('../services/photoService');

const router = new Router({ prefix: '/bookings' });
router.use(requireAuth);

router.param('id', async (id, ctx, next) => {
  if (!bookingService.isValidId(id)) {
    throw new AppError(404, 'Booking not found', 'not_found');
  }
  await next();
});

router.post('/', async (ctx) => {
  const { workshopId, vehicleId, slotStart, notes } = ctx.request.body || {};
  const booking = await bookingService.createBooking(ctx.state.user.id, {
    workshopId: String(workshopId),
    vehicleId: String(vehicleId),
    slotStart,
    notes: notes ? String(notes).slice(0, 2000) : undefined,
  });
  ctx.status = 201;
  ctx.body = booking;
});

router.get('/:id', async (ctx) => {
  ctx.body = await bookingService.getBooking(ctx.params.id);
});

router.post('/:id/photos', async (ctx) => {
  const booking = await bookingService.getOwnBooking(ctx.params.id, ctx.state.user.id);
  const { fileName, contentBase64 } = ctx.request.body || {};
  ctx.status = 201;
  ctx.body = await photoService.saveBookingPhoto(booking, { fileName, contentBase64 });
});

router.delete('/:id/photos/:index', async (ctx) => {
  const booking = await bookingService.getOwnBooking(ctx.params.id, ctx.state.user.id);
  await photoService.removeBookingPhoto(booking, parseInt(ctx.params.index, 10));
  ctx.status = 204;
});

router.post('/:id/deposit', async (ctx) => {
  const booking = await bookingService.getOwnBooking(ctx.params.id, ctx.state.user.id);
  const { amount, paymentMethod } = ctx.request.body || {};
  ctx.body = await bookingService.payDeposit(booking, { amount, paymentMethod: String(paymentMethod) });
});

router.post('/:id/voucher', async (ctx) => {
  const booking = await bookingService.getOwnBooking(ctx.params.id, ctx.state.user.id);
  const { code } = ctx.request.body || {};
  ctx.body = await bookingService.applyVoucher(booking, ctx.state.user.id, code);
});

router.post('/:id/complete', requireRole('mechanic', 'workshop_owner'), async (ctx) => {
  const workshopId = ctx.state.user.workshopId;
  if (!workshopId) {
    throw new AppError(403, 'Not attached to a workshop', 'forbidden');
  }
  ctx.body = await bookingService.completeBooking(ctx.params.id, workshopId);
});

module.exports = router;
