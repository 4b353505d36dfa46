'use strict';

const mongoose = require('mongoose');

const ORDER_STATUSES = ['pending', 'paid', 'fulfilled', 'delivered', 'cancelled', 'refunded'];

const lineItemSchema = new mongoose.Schema(
  {
    product: { type: mongoose.Schema.Types.ObjectId, ref: 'Product', required: true },
    sku: String,
    name: String,
    unitPriceCents: { type: Number, required: true },
    quantity: { type: Number, required: true, min: 1, max: 999 },
  },
  { _id: false },
);

const orderSchema = new mongoose.Schema(
  {
    customerId: { type: mongoose.Schema.Types.ObjectId, ref: 'User', required: true },
    customerEmail: String,
    items: { type: [lineItemSchema], required: true },
    currency: { type: String, default: 'USD' },
    subtotalCents: { type: Number, required: true },
    taxCents: { type: Number, required: true, default: 0 },
    totalCents: { type: Number, required: true },
    status: { type: String, enum: ORDER_STATUSES, default: 'pending' },
    shippingAddress: {
      name: String,
      line1: String,
      line2: String,
      city: String,
      region: String,
      postalCode: String,
      country: String,
    },
    idempotencyKey: String,
    paymentId: String,
    refundId: String,
    trackingNumber: String,
    paidAt: Date,
    cancelledAt: Date,
    deliveredAt: Date,
  },
  { timestamps: true },
);

orderSchema.index({ customerId: 1, createdAt: -1 });
orderSchema.index(
  { customerId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);
orderSchema.index({ status: 1, createdAt: -1 });
orderSchema.index({ trackingNumber: 1 }, { sparse: true });

orderSchema.statics.toDto = function toDto(order) {
  return {
    id: String(order._id),
    status: order.status,
    items: order.items,
    currency: order.currency,
    subtotalCents: order.subtotalCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    shippingAddress: order.shippingAddress,
    trackingNumber: order.trackingNumber,
    createdAt: order.createdAt,
    paidAt: order.paidAt,
  };
};

module.exports = mongoose.model('Order', orderSchema);
module.exports.ORDER_STATUSES = ORDER_STATUSES;
