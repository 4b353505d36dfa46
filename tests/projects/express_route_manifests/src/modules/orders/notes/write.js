import { pool } from '../../../db.js';

export default async function writeNote(table, text) {
  await pool.query('INSERT INTO ' + table + ' (body) VALUES ($1)', [text]);
}
