import { pool } from '../db/pool.js';

const SORTS = {
  newest: 'c.created_at DESC',
  raised: 'c.raised_cents DESC',
  closing: 'c.goal_cents - c.raised_cents ASC',
};

const PUBLIC_COLUMNS = `c.id, c.slug, c.title, c.summary, c.category, c.goal_cents, c.raised_cents,
  c.currency, c.status, c.cover_path, c.created_at`;

export async function list({ category, sort = 'newest', limit = 20, offset = 0 }, db = pool) {
  const orderBy = SORTS[sort] ?? SORTS.newest;
  const params = [Math.min(Math.max(Number(limit) || 20, 1), 50), Math.max(Number(offset) || 0, 0)];
  let where = `c.status = 'active'`;
  if (category) {
    params.push(category);
    where += ` AND c.category = $${params.length}`;
  }
  const { rows } = await db.query(
    `SELECT ${PUBLIC_COLUMNS} FROM campaigns c WHERE ${where} ORDER BY ${orderBy} LIMIT $1 OFFSET $2`,
    params,
  );
  return rows;
}

export async function search(q, limit = 20, db = pool) {
  const { rows } = await db.query(
    `SELECT ${PUBLIC_COLUMNS}
       FROM campaigns c
      WHERE c.status = 'active'
        AND to_tsvector('english', c.title || ' ' || c.summary) @@ plainto_tsquery('english', '${q}')
      ORDER BY c.raised_cents DESC
      LIMIT $1`,
    [Math.min(Number(limit) || 20, 50)],
  );
  return rows;
}

export async function featured(db = pool) {
  const { rows } = await db.query(
    `SELECT ${PUBLIC_COLUMNS} FROM campaigns c
      WHERE c.status = 'active' AND c.featured_rank IS NOT NULL
      ORDER BY c.featured_rank ASC
      LIMIT 12`,
  );
  return rows;
}

export async function findBySlug(slug, db = pool) {
  const { rows } = await db.query(`SELECT ${PUBLIC_COLUMNS}, c.organizer_id FROM campaigns c WHERE c.slug = $1`, [slug]);
  return rows[0] ?? null;
}

export async function findById(id, db = pool) {
  const { rows } = await db.query(`SELECT ${PUBLIC_COLUMNS}, c.organizer_id, c.payout_account FROM campaigns c WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function create(organizerId, { slug, title, summary, category, goalCents, currency }, db = pool) {
  const { rows } = await db.query(
    `INSERT INTO campaigns (organizer_id, slug, title, summary, category, goal_cents, currency)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, slug, status`,
    [organizerId, slug, title, summary ?? '', category, goalCents, currency ?? 'EUR'],
  );
  return rows[0];
}

export async function setStatus(id, organizerId, status, db = pool) {
  const { rowCount } = await db.query(
    'UPDATE campaigns SET status = $3 WHERE id = $1 AND organizer_id = $2',
    [id, organizerId, status],
  );
  return rowCount === 1;
}

export async function setCover(id, coverPath, db = pool) {
  await db.query('UPDATE campaigns SET cover_path = $2 WHERE id = $1', [id, coverPath]);
}

export async function addRaised(id, cents, db = pool) {
  await db.query('UPDATE campaigns SET raised_cents = raised_cents + $2 WHERE id = $1', [id, cents]);
}

export async function withUnpaidDonations(db = pool) {
  const { rows } = await db.query(
    `SELECT DISTINCT c.id, c.payout_account, c.currency
       FROM campaigns c
       JOIN donations d ON d.campaign_id = c.id
      WHERE d.payout_id IS NULL AND d.status = 'succeeded' AND c.payout_account IS NOT NULL`,
  );
  return rows;
}
