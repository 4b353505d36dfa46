'use strict';

const mongoose = require('mongoose');

const partSchema = new mongoose.Schema(
  {
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true },
    sku: { type: String, required: true },
    name: { type: String, required: true },
    priceCents: { type: Number, required: true, min: 0 },
    stock: { type: Number, default: 0, min: 0 },
  },
  { timestamps: true },
);

partSchema.index({ workshop: 1, sku: 1 }, { unique: true });

module.exports = mongoose.model('Part', partSchema);
