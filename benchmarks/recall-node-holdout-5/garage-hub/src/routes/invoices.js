'use strict';

const Router = require('@koa/router');
const fs = require('fs');
const { Invoice, Workshop, User } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth } = require('../middleware/auth');
const { renderInvoicePdf } = require('../lib/pdf');
const payments = require('../clients/payments');
const loyalty = require('../services/loyaltyService');
const config = require('../config');

const router = new Router({ prefix: '/invoices' });
router.use(requireAuth);

async function loadForCaller(ctx) {
  const user = ctx.state.user;
  const filter = { _id: ctx.params.id };
  if (user.role === 'customer') {
    filter.customer = user.id;
  } else if (user.role !== 'admin') {
    filter.workshop = user.workshopId;
  }
  const invoice = await Invoice.findOne(filter);
  if (!invoice) {
    throw new AppError(404, 'Invoice not found', 'not_found');
  }
  return invoice;
}

router.get('/', async (ctx) => {
  const page = Math.max(1, parseInt(ctx.query.page, 10) || 1);
  ctx.body = await Invoice.find({ customer: ctx.state.user.id })
    .sort({ createdAt: -1 })
    .skip((page - 1) * 25)
    .limit(25)
    .select('number total currency status createdAt')
    .lean();
});

router.get('/:id/pdf', async (ctx) => {
  const invoice = await loadForCaller(ctx);
  if (!invoice.pdfPath || !fs.existsSync(invoice.pdfPath)) {
    const [workshop, customer] = await Promise.all([
      Workshop.findById(invoice.workshop).select('name address').lean(),
      User.findById(invoice.customer).select('name').lean(),
    ]);
    invoice.pdfPath = renderInvoicePdf(invoice, workshop, customer, config.invoiceDir);
    await invoice.save();
  }
  ctx.type = 'application/pdf';
  ctx.attachment(`${invoice.number}.pdf`);
  ctx.body = fs.createReadStream(invoice.pdfPath);
});

router.post('/:id/pay', async (ctx) => {
  const invoice = await loadForCaller(ctx);
  if (invoice.status !== 'open') {
    throw new AppError(409, `Invoice is ${invoice.status}`, 'conflict');
  }
  const { paymentMethod } = ctx.request.body || {};
  const charge = await payments.charge({
    amountCents: Math.round(invoice.total * 100),
    currency: invoice.currency,
    customerRef: String(invoice.customer),
    paymentMethod: String(paymentMethod),
    description: `Invoice ${invoice.number}`,
  });
  invoice.status = 'paid';
  invoice.chargeId = charge.id;
  invoice.paidAt = new Date();
  await invoice.save();
  await loyalty.awardPoints(invoice.customer, Math.round(invoice.total * 100));
  ctx.body = { status: invoice.status, chargeId: charge.id };
});

module.exports = router;
