'use strict';

const { Booking, User } = require('../models');
const { sendSms } = require('../clients/sms');
const logger = require('../lib/logger');

/** Texts customers whose booking starts in the next 24 hours (once per booking). */
async function run() {
  const now = new Date();
  const soon = new Date(now.getTime() + 24 * 3600e3);
  const bookings = await Booking.find({ status: 'confirmed', slotStart: { $gte: now, $lt: soon }, reminderSentAt: null })
    .select('customer slotStart confirmationCode')
    .limit(500)
    .lean();
  if (bookings.length === 0) {
    return { sent: 0 };
  }
  const customers = await User.find({ _id: { $in: bookings.map((b) => b.customer) } }).select('phone').lean();
  const phoneById = new Map(customers.map((c) => [String(c._id), c.phone]));

  let sent = 0;
  for (const booking of bookings) {
    const phone = phoneById.get(String(booking.customer));
    if (!phone) {
      continue;
    }
    try {
      await sendSms(phone, `Reminder: your GarageHub booking ${booking.confirmationCode} is at ${booking.slotStart.toISOString()}`);
      await Booking.updateOne({ _id: booking._id }, { $set: { reminderSentAt: new Date() } }, { strict: false });
      sent++;
    } catch (err) {
      logger.warn({ err: err.message, booking: String(booking._id) }, 'reminder failed; will retry next run');
    }
  }
  return { sent };
}

module.exports = { run };
