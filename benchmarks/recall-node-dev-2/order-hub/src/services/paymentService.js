'use strict';

const mongoose = require('mongoose');
const createError = require('http-errors');
const logger = require('../logger');
const Order = require('../models/Order');
const paymentsClient = require('../clients/paymentsClient');
const { enqueueFulfillment } = require('../jobs/queue');

async function payOrder(customerId, orderId, paymentMethodId) {
  if (!mongoose.isValidObjectId(orderId)) throw createError(404, 'order not found');
  if (typeof paymentMethodId !== 'string' || !paymentMethodId) {
    throw createError(400, 'paymentMethodId is required');
  }

  const order = await Order.findOne({ _id: orderId, customerId });
  if (!order) throw createError(404, 'order not found');
  if (order.status !== 'pending') throw createError(409, 'order is not awaiting payment');

  const charge = await paymentsClient.createCharge({
    amountCents: order.totalCents,
    currency: order.currency,
    paymentMethodId,
    orderId: String(order._id),
  });

  order.status = 'paid';
  order.paymentId = charge.id;
  order.paidAt = new Date();
  await order.save();

  await enqueueFulfillment(order._id);
  logger.info('order paid', { orderId: String(order._id), paymentId: charge.id });
  return order;
}

async function refundOrder(orderId, reason) {
  const order = await Order.findById(orderId);
  if (!order) throw createError(404, 'order not found');
  if (!['paid', 'fulfilled', 'delivered'].includes(order.status) || !order.paymentId) {
    throw createError(409, 'order has no captured payment to refund');
  }

  const refund = await paymentsClient.createRefund({
    chargeId: order.paymentId,
    amountCents: order.totalCents,
    reason,
    orderId: String(order._id),
  });

  order.status = 'refunded';
  order.refundId = refund.id;
  await order.save();
  return order;
}

module.exports = { payOrder, refundOrder };
