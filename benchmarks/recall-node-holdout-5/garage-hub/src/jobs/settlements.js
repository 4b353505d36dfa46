'use strict';

const { Invoice, Settlement, Workshop } = require('../models');
const payments = require('../clients/payments');
const { applyBps } = require('../lib/money');
const logger = require('../lib/logger');

function previousMonth(now = new Date()) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start, end };
}

/** Pays each workshop its net revenue for last month, once. */
async function run() {
  const { start, end } = previousMonth();
  const totals = await Invoice.aggregate([
    { $match: { status: 'paid', paidAt: { $gte: start, $lt: end } } },
    { $group: { _id: '$workshop', grossCents: { $sum: { $round: [{ $multiply: ['$total', 100] }, 0] } } } },
  ]);
  const workshops = await Workshop.find({ _id: { $in: totals.map((t) => t._id) } })
    .select('+payoutAccount commissionBps')
    .lean();
  const byId = new Map(workshops.map((w) => [String(w._id), w]));

  let paid = 0;
  for (const t of totals) {
    const workshop = byId.get(String(t._id));
    if (!workshop || !workshop.payoutAccount) {
      continue;
    }
    const commissionCents = applyBps(t.grossCents, workshop.commissionBps);
    let settlement;
    try {
      settlement = await Settlement.create({
        workshop: workshop._id,
        periodStart: start,
        periodEnd: end,
        grossCents: t.grossCents,
        commissionCents,
        netCents: t.grossCents - commissionCents,
      });
    } catch (err) {
      if (err.code === 11000) {
        continue;
      }
      throw err;
    }
    try {
      const transfer = await payments.transfer({
        destination: workshop.payoutAccount,
        amountCents: settlement.netCents,
        currency: 'EUR',
        reference: String(settlement._id),
      });
      settlement.transferId = transfer.id;
    } catch (err) {
      logger.debug({ workshop: String(workshop._id) }, 'transfer call failed');
    }
    settlement.status = 'paid';
    await settlement.save();
    paid++;
  }
  return { paid };
}

module.exports = { run, previousMonth };
