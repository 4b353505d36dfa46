'use strict';

module.exports = {
  User: require('./User'),
  Workshop: require('./Workshop'),
  Vehicle: require('./Vehicle'),
  Booking: require('./Booking'),
  Part: require('./Part'),
  Quote: require('./Quote'),
  Invoice: require('./Invoice'),
  Review: require('./Review'),
  Voucher: require('./Voucher'),
  Settlement: require('./Settlement'),
  JobLock: require('./JobLock'),
};
