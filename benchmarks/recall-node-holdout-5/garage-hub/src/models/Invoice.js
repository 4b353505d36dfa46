'use strict';

const mongoose = require('mongoose');

const invoiceSchema = new mongoose.Schema(
  {
    number: { type: String, required: true, unique: true },
    booking: { type: mongoose.Schema.Types.ObjectId, ref: 'Booking', required: true, unique: true },
    customer: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true, index: true },
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop', required: true, index: true },
    lines: [{ description: String, quantity: Number, unitPrice: Number, amount: Number, _id: false }],
    total: { type: Number, required: true },
    currency: { type: String, default: 'EUR' },
    status: { type: String, enum: ['open', 'paid', 'void'], default: 'open' },
    chargeId: String,
    paidAt: Date,
    pdfPath: String,
  },
  { timestamps: true },
);

module.exports = mongoose.model('Invoice', invoiceSchema);
