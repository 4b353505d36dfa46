'use strict';

const mongoose = require('mongoose');

const ROLES = ['customer', 'support', 'staff', 'admin'];

const addressSchema = new mongoose.Schema(
  {
    line1: String,
    line2: String,
    city: String,
    region: String,
    postalCode: String,
    country: { type: String, minlength: 2, maxlength: 2 },
  },
  { _id: false },
);

const userSchema = new mongoose.Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, trim: true, maxlength: 120 },
    phone: { type: String, trim: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, default: 'customer', index: true },
    disabled: { type: Boolean, default: false },
    marketingOptIn: { type: Boolean, default: false },
    defaultAddress: addressSchema,
    resetToken: { type: String, index: { sparse: true } },
    resetTokenExpiresAt: Date,
  },
  { timestamps: true },
);

userSchema.methods.toProfile = function toProfile() {
  return {
    id: this.id,
    email: this.email,
    name: this.name,
    phone: this.phone,
    role: this.role,
    marketingOptIn: this.marketingOptIn,
    defaultAddress: this.defaultAddress,
    createdAt: this.createdAt,
  };
};

module.exports = mongoose.model('User', userSchema);
module.exports.ROLES = ROLES;
