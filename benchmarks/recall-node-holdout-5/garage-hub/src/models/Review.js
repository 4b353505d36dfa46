'use strict';

const mongoose = require('mongoose');

const reviewSchema = new mongoose.Schema(
  {
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true },
    booking: { type: mongoose.Schema.Types.ObjectId, ref: 'Booking', required: true, unique: true },
    author: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    rating: { type: Number, min: 1, max: 5, required: true },
    text: { type: String, maxlength: 4000 },
  },
  { timestamps: true },
);

reviewSchema.index({ workshop: 1, createdAt: -1 });

module.exports = mongoose.model('Review', reviewSchema);
