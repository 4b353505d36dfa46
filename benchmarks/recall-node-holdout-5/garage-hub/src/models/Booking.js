'use strict';

const mongoose = require('mongoose');

const bookingSchema = new mongoose.Schema(
  {
    customer: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true },
    vehicle: { type: mongoose.Schema.Types.ObjectId, ref: 'Vehicle', required: true },
    slotStart: { type: Date, required: true },
    bay: { type: Number, required: true },
    status: {
      type: String,
      enum: ['requested', 'confirmed', 'in_progress', 'completed', 'cancelled'],
      default: 'requested',
    },
    notes: { type: String, maxlength: 2000 },
    photos: [{ path: String, thumb: String, uploadedAt: Date }],
    confirmationCode: { type: String },
    depositCents: { type: Number, default: 0 },
    depositChargeId: String,
    completedAt: Date,
  },
  { timestamps: true },
);

bookingSchema.index({ workshop: 1, slotStart: 1, bay: 1 }, { unique: true, partialFilterExpression: { status: { $in: ['requested', 'confirmed', 'in_progress'] } } });

module.exports = mongoose.model('Booking', bookingSchema);
