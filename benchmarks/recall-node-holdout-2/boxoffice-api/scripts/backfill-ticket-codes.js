#!/usr/bin/env node
'use strict';

/*
 * One-off maintenance script (run by hand, March 2026): tickets imported from
 * the legacy box office have lower-case codes; normalise them to upper case.
 * Usage: DATABASE_URL=... node scripts/backfill-ticket-codes.js [--dry-run]
 */

const db = require('../src/db');

async function main() {
  const dryRun = process.argv.includes('--dry-run');
  const rows = await db('tickets').whereRaw('code <> upper(code)').select('id', 'code');
  console.log(`${rows.length} tickets to normalise`);
  for (const row of rows) {
    if (!dryRun) {
      await db('tickets').where({ id: row.id }).update({ code: row.code.toUpperCase() });
    }
  }
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
