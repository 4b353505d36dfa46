import { pool } from '../db/pool.js';

export async function insertPending(
  { campaignId, donorId, amountCents, feeCents, currency, publicName, message, idempotencyKey },
  db = pool,
) {
  const { rows } = await db.query(
    `INSERT INTO donations
       (campaign_id, donor_id, amount_cents, fee_cents, currency, public_name, message, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING *`,
    [campaignId, donorId, amountCents, feeCents, currency, publicName, message, idempotencyKey],
  );
  return rows[0] ?? null;
}

export async function findByIdempotencyKey(key, db = pool) {
  const { rows } = await db.query('SELECT * FROM donations WHERE idempotency_key = $1', [key]);
  return rows[0] ?? null;
}

export async function markCharged(id, chargeId, status, db = pool) {
  await db.query('UPDATE donations SET charge_id = $2, status = $3 WHERE id = $1', [id, chargeId, status]);
}

export async function setMatched(id, matchedCents, db = pool) {
  await db.query('UPDATE donations SET matched_cents = $2 WHERE id = $1', [id, matchedCents]);
}

export async function findById(id, db = pool) {
  const { rows } = await db.query(
    `SELECT d.*, c.title AS campaign_title, c.slug AS campaign_slug,
            dn.display_name AS donor_name, dn.email AS donor_email,
            dn.address_line, dn.city, dn.postcode, dn.country
       FROM donations d
       JOIN campaigns c ON c.id = d.campaign_id
       LEFT JOIN donors dn ON dn.id = d.donor_id
      WHERE d.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function findForDonor(id, donorId, db = pool) {
  const { rows } = await db.query(
    `SELECT d.id, d.amount_cents, d.matched_cents, d.currency, d.status, d.created_at,
            c.title AS campaign_title, c.slug AS campaign_slug
       FROM donations d JOIN campaigns c ON c.id = d.campaign_id
      WHERE d.id = $1 AND d.donor_id = $2`,
    [id, donorId],
  );
  return rows[0] ?? null;
}

export async function listForDonor(donorId, { limit = 25, before } = {}, db = pool) {
  const { rows } = await db.query(
    `SELECT d.id, d.amount_cents, d.currency, d.status, d.created_at, c.title AS campaign_title
       FROM donations d JOIN campaigns c ON c.id = d.campaign_id
      WHERE d.donor_id = $1 AND ($3::timestamptz IS NULL OR d.created_at < $3)
      ORDER BY d.created_at DESC
      LIMIT $2`,
    [donorId, Math.min(Number(limit) || 25, 100), before ?? null],
  );
  return rows;
}

export async function listPublicForCampaign(campaignId, db = pool) {
  const { rows } = await db.query(
    `SELECT d.id, COALESCE(d.public_name, 'Anonymous') AS name, d.amount_cents, d.message, d.created_at
       FROM donations d
      WHERE d.campaign_id = $1 AND d.status = 'succeeded'
      ORDER BY d.created_at DESC`,
    [campaignId],
  );
  return rows;
}

export async function totalsForCampaign(campaignId, db = pool) {
  const { rows } = await db.query(
    `SELECT COALESCE(SUM(amount_cents + matched_cents), 0) AS total_cents,
            COUNT(DISTINCT COALESCE(donor_id::text, id::text)) AS donor_count
       FROM donations WHERE campaign_id = $1 AND status = 'succeeded'`,
    [campaignId],
  );
  return rows[0];
}

export async function totalsForCampaigns(campaignIds, db = pool) {
  if (campaignIds.length === 0) return new Map();
  const { rows } = await db.query(
    `SELECT campaign_id,
            COALESCE(SUM(amount_cents + matched_cents), 0) AS total_cents,
            COUNT(DISTINCT COALESCE(donor_id::text, id::text)) AS donor_count
       FROM donations
      WHERE campaign_id = ANY($1::bigint[]) AND status = 'succeeded'
      GROUP BY campaign_id`,
    [campaignIds],
  );
  return new Map(rows.map((r) => [r.campaign_id, r]));
}

export async function unpaidForCampaign(campaignId, db = pool) {
  const { rows } = await db.query(
    `SELECT id, amount_cents, fee_cents, matched_cents FROM donations
      WHERE campaign_id = $1 AND payout_id IS NULL AND status = 'succeeded'`,
    [campaignId],
  );
  return rows;
}

export async function assignPayout(donationIds, payoutId, db = pool) {
  await db.query('UPDATE donations SET payout_id = $2 WHERE id = ANY($1::bigint[])', [donationIds, payoutId]);
}

export async function updateStatusByCharge(chargeId, status, db = pool) {
  const { rows } = await db.query(
    'UPDATE donations SET status = $2 WHERE charge_id = $1 AND status <> $2 RETURNING id, campaign_id, amount_cents',
    [chargeId, status],
  );
  return rows[0] ?? null;
}
