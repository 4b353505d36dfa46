#!/usr/bin/env node
'use strict';

// One-off: copy the customer's email onto orders created before customerEmail existed.
// Usage: node scripts/backfill-order-emails.js [--dry-run]

const db = require('../src/db');
const logger = require('../src/logger');
const Order = require('../src/models/Order');
const User = require('../src/models/User');

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  await db.connect();

  let updated = 0;
  const cursor = Order.find({ customerEmail: { $exists: false } }).select('customerId').cursor();
  for await (const order of cursor) {
    const customer = await User.findById(order.customerId).select('email').lean();
    if (!customer) continue;
    if (!dryRun) {
      await Order.updateOne({ _id: order._id }, { customerEmail: customer.email });
    }
    updated += 1;
  }

  logger.info('backfill complete', { updated, dryRun });
  await db.disconnect();
}

main().catch(async (err) => {
  logger.error('backfill failed', { err: err.message });
  await db.disconnect();
  process.exit(1);
});
