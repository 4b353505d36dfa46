'use strict';

const config = require('../config');
const logger = require('../logger');
const db = require('../db');
const Order = require('../models/Order');
const shippingClient = require('../clients/shippingClient');
const notificationService = require('../services/notificationService');
const { fulfillmentQueue } = require('./queue');

const CONCURRENCY = Number(process.env.FULFILLMENT_CONCURRENCY || 5);

async function fulfil(job) {
  const order = await Order.findById(job.data.orderId);
  if (!order) {
    logger.warn('fulfilment skipped, order missing', { orderId: job.data.orderId });
    return { skipped: 'missing' };
  }
  if (order.status !== 'paid') {
    return { skipped: order.status };
  }

  let shipment;
  try {
    shipment = await shippingClient.createShipment(order);
  } catch (err) {}

  order.status = 'fulfilled';
  order.trackingNumber = shipment && shipment.trackingNumber;
  await order.save();

  try {
    await notificationService.sendOrderShipped(order);
  } catch (err) {
    logger.warn('shipped email not sent', { orderId: String(order._id), err: err.message });
  }

  return { trackingNumber: order.trackingNumber };
}

async function start() {
  await db.connect();
  fulfillmentQueue.process('fulfil', CONCURRENCY, fulfil);
  fulfillmentQueue.on('failed', (job, err) => {
    logger.error('fulfilment job failed', {
      jobId: job.id,
      attemptsMade: job.attemptsMade,
      err: err.message,
    });
  });
  logger.info('fulfilment worker started', { concurrency: CONCURRENCY, redis: config.redisUrl.replace(/\/\/.*@/, '//***@') });
}

if (require.main === module) {
  start().catch((err) => {
    logger.error('worker failed to start', { err: err.message });
    process.exit(1);
  });
}

module.exports = { fulfil };
