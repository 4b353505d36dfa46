'use strict';

const mongoose = require('mongoose');

const settlementSchema = new mongoose.Schema(
  {
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true },
    periodStart: { type: Date, required: true },
    periodEnd: { type: Date, required: true },
    grossCents: { type: Number, required: true },
    commissionCents: { type: Number, required: true },
    netCents: { type: Number, required: true },
    status: { type: String, enum: ['pending', 'paid', 'failed'], default: 'pending' },
    transferId: String,
  },
  { timestamps: true },
);

settlementSchema.index({ workshop: 1, periodStart: 1 }, { unique: true });

module.exports = mongoose.model('Settlement', settlementSchema);
