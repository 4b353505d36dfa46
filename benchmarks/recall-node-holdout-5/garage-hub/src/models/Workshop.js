'use strict';

const mongoose = require('mongoose');

const hoursSchema = new mongoose.Schema(
  { day: { type: Number, min: 0, max: 6 }, opens: String, closes: String },
  { _id: false },
);

const workshopSchema = new mongoose.Schema(
  {
    name: { type: String, required: true, maxlength: 120 },
    slug: { type: String, required: true, unique: true },
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    city: { type: String, index: true },
    address: String,
    services: [{ type: String }],
    bays: { type: Number, default: 2, min: 1, max: 50 },
    hourlyRateCents: { type: Number, required: true, min: 0 },
    openingHours: [hoursSchema],
    calendarUrl: { type: String },
    verified: { type: Boolean, default: false },
    commissionBps: { type: Number, default: 1200 },
    payoutAccount: { type: String, select: false },
    rating: { type: Number, default: 0 },
    ratingCount: { type: Number, default: 0 },
  },
  { timestamps: true },
);

workshopSchema.index({ city: 1, verified: 1, rating: -1 });

module.exports = mongoose.model('Workshop', workshopSchema);
