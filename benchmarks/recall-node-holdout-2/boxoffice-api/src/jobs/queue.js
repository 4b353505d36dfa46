'use strict';

const Queue = require('bull');
const config = require('../config');

const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

const queues = {
  fulfilment: new Queue('fulfilment', config.redisUrl, { defaultJobOptions }),
  payouts: new Queue('payouts', config.redisUrl, { defaultJobOptions }),
};

async function closeAll() {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}

module.exports = { queues, closeAll };
