'use strict';

const Queue = require('bull');
const config = require('../config');

const fulfillmentQueue = new Queue('fulfillment', config.redisUrl, {
  defaultJobOptions: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 5000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  },
});

function enqueueFulfillment(orderId) {
  return fulfillmentQueue.add('fulfil', { orderId: String(orderId) }, { jobId: `fulfil-${orderId}` });
}

module.exports = { fulfillmentQueue, enqueueFulfillment };
