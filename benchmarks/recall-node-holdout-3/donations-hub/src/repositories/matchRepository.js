import { pool } from '../db/pool.js';

export async function activeForCampaign(campaignId, db = pool) {
  const { rows } = await db.query(
    `SELECT id, sponsor_name, remaining_cents, ratio_pct FROM match_pools
      WHERE campaign_id = $1 AND active AND remaining_cents > 0
      ORDER BY id
      LIMIT 1`,
    [campaignId],
  );
  return rows[0] ?? null;
}

export async function setRemaining(poolId, remainingCents, db = pool) {
  await db.query('UPDATE match_pools SET remaining_cents = $2, active = ($2 > 0) WHERE id = $1', [
    poolId,
    remainingCents,
  ]);
}
