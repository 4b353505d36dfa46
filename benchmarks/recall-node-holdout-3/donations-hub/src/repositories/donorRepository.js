import { pool } from '../db/pool.js';

const PROFILE_COLUMNS = `id, email, display_name, address_line, city, postcode, country, role,
  email_verified, marketing_opt_in, created_at`;

function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}

export async function findByEmail(email, db = pool) {
  const { rows } = await db.query(`SELECT ${PROFILE_COLUMNS}, password_hash FROM donors WHERE email = $1`, [email]);
  return rows[0] ?? null;
}

export async function findById(id, db = pool) {
  const { rows } = await db.query(`SELECT ${PROFILE_COLUMNS} FROM donors WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

export async function create({ email, passwordHash, displayName }, db = pool) {
  const { rows } = await db.query(
    `INSERT INTO donors (email, password_hash, display_name) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO NOTHING
     RETURNING ${PROFILE_COLUMNS}`,
    [email, passwordHash, displayName],
  );
  return rows[0] ?? null;
}

export async function update(id, fields, db = pool) {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return findById(id, db);
  const sets = entries.map(([column], i) => `${quoteIdent(column)} = $${i + 2}`);
  const { rows } = await db.query(
    `UPDATE donors SET ${sets.join(', ')} WHERE id = $1 RETURNING ${PROFILE_COLUMNS}`,
    [id, ...entries.map(([, v]) => v)],
  );
  return rows[0] ?? null;
}

export async function setResetToken(id, tokenHash, expiresAt, db = pool) {
  await db.query('UPDATE donors SET reset_token_hash = $2, reset_expires_at = $3 WHERE id = $1', [
    id,
    tokenHash,
    expiresAt,
  ]);
}

export async function consumeResetToken(tokenHash, passwordHash, db = pool) {
  const { rowCount } = await db.query(
    `UPDATE donors SET password_hash = $2, reset_token_hash = NULL, reset_expires_at = NULL
      WHERE reset_token_hash = $1 AND reset_expires_at > now()`,
    [tokenHash, passwordHash],
  );
  return rowCount === 1;
}

export async function listForExport(db = pool) {
  const { rows } = await db.query(
    `SELECT d.email, d.display_name, d.city, d.country, d.marketing_opt_in,
            COALESCE(SUM(x.amount_cents), 0) AS lifetime_cents
       FROM donors d LEFT JOIN donations x ON x.donor_id = d.id AND x.status = 'succeeded'
      GROUP BY d.id
      ORDER BY d.id`,
  );
  return rows;
}
