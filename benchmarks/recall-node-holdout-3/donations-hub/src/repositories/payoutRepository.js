import { pool } from '../db/pool.js';

export async function create(campaignId, amountCents, db = pool) {
  const { rows } = await db.query(
    'INSERT INTO payouts (campaign_id, amount_cents) VALUES ($1, $2) RETURNING id',
    [campaignId, amountCents],
  );
  return rows[0].id;
}

export async function markSent(payoutId, transferRef, db = pool) {
  await db.query("UPDATE payouts SET status = 'sent', transfer_ref = $2 WHERE id = $1", [payoutId, transferRef]);
}

export async function listForCampaign(campaignId, db = pool) {
  const { rows } = await db.query(
    'SELECT id, amount_cents, status, transfer_ref, created_at FROM payouts WHERE campaign_id = $1 ORDER BY created_at DESC LIMIT 100',
    [campaignId],
  );
  return rows;
}
