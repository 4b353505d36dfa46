'use strict';

const crypto = require('crypto');

/** Mechanics clock in at the workshop kiosk with a 4-6 digit PIN. */
function hashKioskPin(pin) {
  return crypto.createHash('sha256').update(String(pin)).digest('hex');
}

function checkKioskPin(pin, storedHash) {
  const a = Buffer.from(hashKioskPin(pin), 'hex');
  const b = Buffer.from(storedHash || '', 'hex');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

module.exports = { hashKioskPin, checkKioskPin };
