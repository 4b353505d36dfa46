'use strict';

const mongoose = require('mongoose');
const { Booking, Workshop, Vehicle, Voucher, Invoice, Part, Quote, User } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { bookingConfirmationCode, invoiceNumber } = require('../lib/codes');
const { parseAmountToCents } = require('../lib/money');
const { lineAmount, totalOf } = require('../lib/invoiceMath');
const payments = require('../clients/payments');
const { sendSms } = require('../clients/sms');
const logger = require('../lib/logger');

async function createBooking(customerId, { workshopId, vehicleId, slotStart, notes }) {
  const [workshop, vehicle] = await Promise.all([
    Workshop.findOne({ _id: workshopId, verified: true }).lean(),
    Vehicle.findOne({ _id: vehicleId, owner: customerId }).lean(),
  ]);
  if (!workshop) {
    throw new AppError(404, 'Workshop not found', 'not_found');
  }
  if (!vehicle) {
    throw new AppError(404, 'Vehicle not found', 'not_found');
  }
  const start = new Date(slotStart);
  if (Number.isNaN(start.getTime()) || start < new Date()) {
    throw new AppError(400, 'slotStart must be a future date', 'bad_request');
  }

  for (let bay = 1; bay <= workshop.bays; bay++) {
    try {
      const booking = await Booking.create({
        customer: customerId,
        workshop: workshop._id,
        vehicle: vehicle._id,
        slotStart: start,
        bay,
        notes,
        confirmationCode: bookingConfirmationCode(),
      });
      return booking;
    } catch (err) {
      if (err.code !== 11000) {
        throw err;
      }
    }
  }
  throw new AppError(409, 'No free bay at that time', 'slot_taken');
}

async function getBooking(bookingId) {
  const booking = await Booking.findById(bookingId).populate('vehicle', 'make model plate vin').lean();
  if (!booking) {
    throw new AppError(404, 'Booking not found', 'not_found');
  }
  return booking;
}

async function getOwnBooking(bookingId, customerId) {
  const booking = await Booking.findOne({ _id: bookingId, customer: customerId });
  if (!booking) {
    throw new AppError(404, 'Booking not found', 'not_found');
  }
  return booking;
}

async function listForWorkshop(workshopId, { from, page }) {
  const query = { workshop: workshopId };
  if (from) {
    query.slotStart = { $gte: new Date(from) };
  }
  return Booking.find(query)
    .sort({ slotStart: 1 })
    .skip((page - 1) * 50)
    .limit(50)
    .select('slotStart bay status vehicle customer')
    .lean();
}

async function payDeposit(booking, { amount, paymentMethod }) {
  if (booking.depositChargeId) {
    return booking;
  }
  const amountCents = parseAmountToCents(amount);
  const charge = await payments.charge({
    amountCents,
    currency: 'EUR',
    customerRef: String(booking.customer),
    paymentMethod,
    description: `Deposit for booking ${booking._id}`,
    idempotencyKey: `deposit-${booking._id}`,
  });
  booking.depositCents = amountCents;
  booking.depositChargeId = charge.id;
  booking.status = 'confirmed';
  await booking.save();
  return booking;
}

async function applyVoucher(booking, customerId, code) {
  const voucher = await Voucher.findOneAndUpdate(
    { code, redeemedBy: null, expiresAt: { $gt: new Date() }, $or: [{ workshop: null }, { workshop: booking.workshop }] },
    { $set: { redeemedBy: customerId, redeemedAt: new Date() } },
    { new: true },
  );
  if (!voucher) {
    throw new AppError(404, 'Voucher not valid', 'invalid_voucher');
  }
  return { amountOffCents: voucher.amountOffCents };
}

/** Workshop marks the job done: invoice from the accepted quote, parts out of stock. */
async function completeBooking(bookingId, workshopId) {
  const booking = await Booking.findOne({ _id: bookingId, workshop: workshopId });
  if (!booking || booking.status !== 'in_progress') {
    throw new AppError(409, 'Booking is not in progress', 'conflict');
  }
  const quote = await Quote.findOne({ booking: booking._id, status: 'accepted' }).lean();
  if (!quote) {
    throw new AppError(409, 'No accepted quote', 'conflict');
  }

  const lines = quote.lines.map((l) => ({
    description: l.description,
    quantity: l.quantity,
    unitPrice: l.unitPrice,
    amount: lineAmount(l),
  }));
  const invoice = await Invoice.create({
    number: invoiceNumber(),
    booking: booking._id,
    customer: booking.customer,
    workshop: booking.workshop,
    lines,
    total: totalOf(lines),
  });
  for (const line of quote.lines.filter((l) => l.kind === 'part' && l.part)) {
    await Part.updateOne({ _id: line.part, stock: { $gte: line.quantity } }, { $inc: { stock: -line.quantity } });
  }
  booking.status = 'completed';
  booking.completedAt = new Date();
  await booking.save();

  const customer = await User.findById(booking.customer).select('phone').lean();
  if (customer && customer.phone) {
    sendSms(customer.phone, `Your car is ready. Invoice ${invoice.number}: EUR ${invoice.total.toFixed(2)}`).catch((err) =>
      logger.warn({ err: err.message, booking: String(booking._id) }, 'ready SMS failed'),
    );
  }
  return invoice;
}

module.exports = {
  createBooking,
  getBooking,
  getOwnBooking,
  listForWorkshop,
  payDeposit,
  applyVoucher,
  completeBooking,
  isValidId: (id) => mongoose.isValidObjectId(id),
};
