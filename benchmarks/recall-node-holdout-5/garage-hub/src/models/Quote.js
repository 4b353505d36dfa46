'use strict';

const mongoose = require('mongoose');

const lineSchema = new mongoose.Schema(
  {
    kind: { type: String, enum: ['part', 'labour'], required: true },
    part: { type: mongoose.Schema.Types.ObjectId, ref: 'Part' },
    description: String,
    quantity: { type: Number, required: true, min: 0 },
    unitPrice: { type: Number, required: true, min: 0 },
  },
  { _id: false },
);

const quoteSchema = new mongoose.Schema(
  {
    booking: { type: mongoose.Schema.Types.ObjectId, ref: 'Booking', required: true, index: true },
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true },
    lines: [lineSchema],
    total: { type: Number, required: true },
    status: { type: String, enum: ['draft', 'sent', 'accepted', 'rejected'], default: 'draft' },
  },
  { timestamps: true },
);

module.exports = mongoose.model('Quote', quoteSchema);
