import pg from 'pg';
import config from '../config.js';
import logger from '../logger.js';

// BIGINT columns hold ids and cent amounts well inside Number's safe range.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export const pool = new pg.Pool({
  connectionString: config.databaseUrl,
  max: 20,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  statement_timeout: 10_000,
});

pool.on('error', (err) => {
  logger.error({ err }, 'idle pg client error');
});

export function query(text, params) {
  return pool.query(text, params);
}

/** Runs fn(client) inside BEGIN/COMMIT; rolls back and rethrows on error. */
export async function withTransaction(fn) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Holds a session-level advisory lock while fn runs, so only one instance of a
 * scheduled job works on the same key at a time.
 */
export async function withAdvisoryLock(key, fn) {
  const client = await pool.connect();
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [key]);
  if (!rows[0].locked) {
    client.release();
    return { skipped: true };
  }
  const result = await fn();
  await client.query('SELECT pg_advisory_unlock($1)', [key]);
  client.release();
  return { skipped: false, result };
}
