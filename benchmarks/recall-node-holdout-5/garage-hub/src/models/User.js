'use strict';

const mongoose = require('mongoose');

const userSchema = new mongoose.Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, required: true, maxlength: 120 },
    phone: { type: String },
    passwordHash: { type: String, required: true, select: false },
    role: { type: String, enum: ['customer', 'mechanic', 'workshop_owner', 'admin'], default: 'customer' },
    workshop: { type: mongoose.Schema.Types.ObjectId, ref: 'Workshop' },
    kioskPinHash: { type: String, select: false },
    loyaltyPoints: { type: Number, default: 0, min: 0 },
    resetCode: { type: String, select: false },
    resetCodeExpiresAt: { type: Date, select: false },
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true },
);

userSchema.index({ workshop: 1, role: 1 });

module.exports = mongoose.model('User', userSchema);
