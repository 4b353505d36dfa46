'use strict';

const crypto = require('crypto');

/** Six-digit code sent by SMS to reset a password. */
function passwordResetCode() {
  return String(Math.floor(100000 + Math.random() * 900000));
}

/** Short human-readable code shown on the booking confirmation. */
function bookingConfirmationCode() {
  return crypto.randomBytes(4).toString('hex').toUpperCase();
}

function invoiceNumber(date = new Date()) {
  const ym = `${date.getUTCFullYear()}${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  return `GH-${ym}-${crypto.randomInt(0, 1e8).toString().padStart(8, '0')}`;
}

module.exports = { passwordResetCode, bookingConfirmationCode, invoiceNumber };
