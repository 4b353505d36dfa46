'use strict';

const Router = require('@koa/router');
const { Invoice, Workshop } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireServiceToken } = require('../middleware/auth');
const loyalty = require('../services/loyaltyService');

/** Called by billing-service (bank transfers reconciled offline) and the ops console. */
const router = new Router({ prefix: '/internal' });
router.use(requireServiceToken);

router.post('/invoices/:id/mark-paid', async (ctx) => {
  const { reference } = ctx.request.body || {};
  const invoice = await Invoice.findOneAndUpdate(
    { _id: ctx.params.id, status: 'open' },
    { $set: { status: 'paid', paidAt: new Date(), chargeId: `bank:${String(reference || '').slice(0, 64)}` } },
    { new: true },
  );
  if (!invoice) {
    throw new AppError(409, 'Invoice not open', 'conflict');
  }
  await loyalty.awardPoints(invoice.customer, Math.round(invoice.total * 100));
  ctx.body = { status: 'paid' };
});

router.get('/workshops/:id/payout-account', async (ctx) => {
  const workshop = await Workshop.findById(ctx.params.id).select('+payoutAccount name').lean();
  if (!workshop) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  ctx.body = { name: workshop.name, payoutAccount: workshop.payoutAccount };
});

module.exports = router;
