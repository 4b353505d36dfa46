'use strict';

const mongoose = require('mongoose');

const vehicleSchema = new mongoose.Schema(
  {
    owner: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    vin: { type: String, required: true, uppercase: true, match: /^[A-HJ-NPR-Z0-9]{17}$/ },
    plate: { type: String, maxlength: 12 },
    make: String,
    model: String,
    year: Number,
    mileageKm: { type: Number, min: 0 },
  },
  { timestamps: true },
);

vehicleSchema.index({ owner: 1, vin: 1 }, { unique: true });

module.exports = mongoose.model('Vehicle', vehicleSchema);
