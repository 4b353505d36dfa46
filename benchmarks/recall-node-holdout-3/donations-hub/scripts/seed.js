#!/usr/bin/env node
// Seeds a local database with demo donors, campaigns and donations.
// Usage: DATABASE_URL=postgres://... node scripts/seed.js
import { randomUUID } from 'node:crypto';
import { hashPassword } from '../src/auth/passwords.js';
import { pool, withTransaction } from '../src/db/pool.js';

if (process.env.NODE_ENV === 'production') {
  console.error('refusing to seed a production database');
  process.exit(1);
}

const DEMO_PASSWORD = 'demo-password-123';
const CATEGORIES = ['animals', 'education', 'health', 'environment'];

async function main() {
  await withTransaction(async (client) => {
    const ids = [];
    for (const [email, name, role] of [
      ['admin@demo.local', 'Demo Admin', 'admin'],
      ['organizer@demo.local', 'Demo Organizer', 'organizer'],
      ['donor@demo.local', 'Demo Donor', 'donor'],
    ]) {
      const { rows } = await client.query(
        `INSERT INTO donors (email, password_hash, display_name, role, email_verified)
         VALUES ($1, $2, $3, $4, true)
         ON CONFLICT (email) DO UPDATE SET display_name = EXCLUDED.display_name
         RETURNING id`,
        [email, hashPassword(DEMO_PASSWORD), name, role],
      );
      ids.push(rows[0].id);
    }
    const [, organizerId, donorId] = ids;

    for (let i = 0; i < 8; i++) {
      const { rows } = await client.query(
        `INSERT INTO campaigns (organizer_id, slug, title, summary, category, goal_cents, status, featured_rank)
         VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)
         ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title
         RETURNING id`,
        [organizerId, `demo-${i + 1}`, `Demo campaign ${i + 1}`, 'Seeded for local development.',
          CATEGORIES[i % CATEGORIES.length], 500_000 + i * 100_000, i < 4 ? i + 1 : null],
      );
      const campaignId = rows[0].id;
      for (let j = 0; j < 5; j++) {
        const amount = 1_000 * (j + 1);
        await client.query(
          `INSERT INTO donations (campaign_id, donor_id, amount_cents, currency, status, idempotency_key)
           VALUES ($1, $2, $3, 'EUR', 'succeeded', $4)`,
          [campaignId, donorId, amount, randomUUID()],
        );
        await client.query('UPDATE campaigns SET raised_cents = raised_cents + $2 WHERE id = $1', [campaignId, amount]);
      }
    }
  });
  console.log(`seeded; demo accounts use the password "${DEMO_PASSWORD}"`);
}

main()
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => pool.end());
