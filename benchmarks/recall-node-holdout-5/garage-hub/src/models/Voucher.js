'use strict';

const mongoose = require('mongoose');

const voucherSchema = new mongoose.Schema(
  {
    code: { type: String, required: true, unique: true, uppercase: true },
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop' },
    amountOffCents: { type: Number, required: true, min: 0 },
    redeemedBy: { type: mongoose.Schema.Types.ObjectId, ref: 'User' },
    redeemedAt: Date,
    expiresAt: { type: Date, required: true },
  },
  { timestamps: true },
);

module.exports = mongoose.model('Voucher', voucherSchema);
