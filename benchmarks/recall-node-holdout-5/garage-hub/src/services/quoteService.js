'use strict';

const { Quote, Part, Booking } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { totalOf } = require('../lib/invoiceMath');

/**
 * lines: [{ kind: 'part', sku, quantity } | { kind: 'labour', description, hours }]
 */
async function createQuote(workshop, bookingId, lines) {
  const booking = await Booking.findOne({ _id: bookingId, workshop: workshop._id }).select('_id status').lean();
  if (!booking || !['confirmed', 'in_progress'].includes(booking.status)) {
    throw new AppError(404, 'Booking not found', 'not_found');
  }
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > 100) {
    throw new AppError(400, 'Between 1 and 100 lines', 'bad_request');
  }

  const quoteLines = [];
  for (const line of lines) {
    if (line.kind === 'labour') {
      quoteLines.push({
        kind: 'labour',
        description: String(line.description || 'Labour').slice(0, 200),
        quantity: Number(line.hours),
        unitPrice: workshop.hourlyRateCents / 100,
      });
      continue;
    }
    const part = await Part.findOne({ workshop: workshop._id, sku: String(line.sku) }).lean();
    if (!part) {
      throw new AppError(400, `Unknown part ${line.sku}`, 'unknown_part');
    }
    quoteLines.push({
      kind: 'part',
      part: part._id,
      description: part.name,
      quantity: Number(line.quantity),
      unitPrice: part.priceCents / 100,
    });
  }

  return Quote.create({
    booking: booking._id,
    workshop: workshop._id,
    lines: quoteLines,
    total: totalOf(quoteLines),
    status: 'sent',
  });
}

async function acceptQuote(quoteId, customerId) {
  const quote = await Quote.findById(quoteId);
  if (!quote || quote.status !== 'sent') {
    throw new AppError(404, 'Quote not found', 'not_found');
  }
  const booking = await Booking.findOne({ _id: quote.booking, customer: customerId }).select('_id').lean();
  if (!booking) {
    throw new AppError(404, 'Quote not found', 'not_found');
  }
  const updated = await Quote.findOneAndUpdate({ _id: quote._id, status: 'sent' }, { $set: { status: 'accepted' } }, { new: true });
  if (!updated) {
    throw new AppError(409, 'Quote already answered', 'conflict');
  }
  await Booking.updateOne({ _id: booking._id, status: 'confirmed' }, { $set: { status: 'in_progress' } });
  return updated;
}

module.exports = { createQuote, acceptQuote };
