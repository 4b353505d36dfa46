'use strict';

const mongoose = require('mongoose');

const jobLockSchema = new mongoose.Schema({
  _id: String,
  owner: String,
  lockedUntil: Date,
  lastRunAt: Date,
});

module.exports = mongoose.model('JobLock', jobLockSchema);
