'use strict';

const os = require('os');
const { connect } = require('../db');
const { JobLock } = require('../models');
const logger = require('../lib/logger');
const reminders = require('./reminders');
const settlements = require('./settlements');

const OWNER = `${os.hostname()}:${process.pid}`;

const JOBS = [
  { name: 'booking-reminders', everyMs: 15 * 60e3, run: reminders.run },
  { name: 'monthly-settlements', everyMs: 6 * 3600e3, run: settlements.run },
];

/** Takes a lease on the job so only one runner instance executes it at a time. */
async function acquire(name, leaseMs) {
  const now = new Date();
  try {
    const lock = await JobLock.findOneAndUpdate(
      { _id: name, $or: [{ lockedUntil: { $lt: now } }, { lockedUntil: null }] },
      { $set: { owner: OWNER, lockedUntil: new Date(now.getTime() + leaseMs) } },
      { upsert: true, new: true },
    );
    return lock && lock.owner === OWNER;
  } catch (err) {
    if (err.code === 11000) {
      return false;
    }
    throw err;
  }
}

async function release(name) {
  await JobLock.updateOne({ _id: name, owner: OWNER }, { $set: { lockedUntil: null, lastRunAt: new Date() } });
}

async function tick(job) {
  if (!(await acquire(job.name, 30 * 60e3))) {
    return;
  }
  const started = Date.now();
  try {
    const result = await job.run();
    logger.info({ job: job.name, ms: Date.now() - started, result }, 'job finished');
  } catch (err) {
    logger.error({ err, job: job.name }, 'job failed');
  } finally {
    await release(job.name);
  }
}

async function main() {
  await connect();
  for (const job of JOBS) {
    const loop = () =>
      tick(job)
        .catch((err) => logger.error({ err, job: job.name }, 'job tick crashed'))
        .finally(() => setTimeout(loop, job.everyMs));
    loop();
  }
}

if (require.main === module) {
  main().catch((err) => {
    logger.error({ err }, 'runner failed to start');
    process.exit(1);
  });
}

module.exports = { acquire, release, tick };
