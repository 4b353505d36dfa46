'use strict';

const mongoose = require('mongoose');
const createError = require('http-errors');
const config = require('../config');
const logger = require('../logger');
const Order = require('../models/Order');
const Product = require('../models/Product');
const User = require('../models/User');
const inventoryService = require('./inventoryService');
const taxService = require('./taxService');

function validateItems(items) {
  if (!Array.isArray(items) || items.length === 0) {
    throw createError(400, 'items must be a non-empty array');
  }
  if (items.length > config.orders.maxLineItems) {
    throw createError(400, `an order may contain at most ${config.orders.maxLineItems} lines`);
  }
  for (const item of items) {
    if (!mongoose.isValidObjectId(item.productId)) throw createError(400, 'invalid productId');
    if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 999) {
      throw createError(400, 'quantity must be an integer between 1 and 999');
    }
  }
}

async function findExisting(customerId, idempotencyKey) {
  if (!idempotencyKey) return null;
  return Order.findOne({ customerId, idempotencyKey });
}

async function placeOrder(customerId, { items, shippingAddress }, idempotencyKey) {
  validateItems(items);
  if (!shippingAddress || !shippingAddress.country || !shippingAddress.postalCode) {
    throw createError(400, 'shippingAddress with country and postalCode is required');
  }

  const existing = await findExisting(customerId, idempotencyKey);
  if (existing) return { order: existing, created: false };

  const customer = await User.findById(customerId).select('email').lean();

  const lines = [];
  for (const item of items) {
    const product = await Product.findById(item.productId).lean();
    if (!product || !product.active) {
      throw createError(400, `product ${item.productId} is not available`);
    }
    lines.push({
      product: product._id,
      sku: product.sku,
      name: product.name,
      unitPriceCents: product.priceCents,
      quantity: item.quantity,
    });
  }

  const subtotalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
  const taxCents = await taxService.quoteTax(shippingAddress, lines);

  const reserved = [];
  try {
    for (const line of lines) {
      await inventoryService.reserve(line.product, line.quantity);
      reserved.push(line);
    }
    const order = await Order.create({
      customerId,
      customerEmail: customer && customer.email,
      items: lines,
      currency: config.orders.defaultCurrency,
      subtotalCents,
      taxCents,
      totalCents: subtotalCents + taxCents,
      shippingAddress: {
        name: shippingAddress.name,
        line1: shippingAddress.line1,
        line2: shippingAddress.line2,
        city: shippingAddress.city,
        region: shippingAddress.region,
        postalCode: shippingAddress.postalCode,
        country: shippingAddress.country,
      },
      idempotencyKey,
    });
    return { order, created: true };
  } catch (err) {
    await Promise.all(reserved.map((line) => inventoryService.release(line.product, line.quantity)));
    if (err.code === 11000 && idempotencyKey) {
      const order = await findExisting(customerId, idempotencyKey);
      if (order) return { order, created: false };
    }
    throw err;
  }
}

async function listCustomerOrders(customerId, { page, limit }) {
  return Order.find({ customerId })
    .sort({ createdAt: -1 })
    .skip((page - 1) * limit)
    .limit(limit)
    .lean();
}

async function cancelOrder(customerId, orderId) {
  if (!mongoose.isValidObjectId(orderId)) throw createError(404, 'order not found');

  const order = await Order.findOne({ _id: orderId, customerId });
  if (!order) throw createError(404, 'order not found');
  if (order.status !== 'pending') {
    throw createError(409, `an order in status ${order.status} cannot be cancelled`);
  }

  await mongoose.connection.transaction(async (session) => {
    order.status = 'cancelled';
    order.cancelledAt = new Date();
    await order.save({ session });
    for (const line of order.items) {
      await inventoryService.release(line.product, line.quantity, session);
    }
  });

  logger.info('order cancelled', { orderId: String(order._id), customerId: String(customerId) });
  return order;
}

module.exports = { placeOrder, listCustomerOrders, cancelOrder };
