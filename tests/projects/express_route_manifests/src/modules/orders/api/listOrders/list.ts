import { pool } from '../../../../db.js';

export default async (request: any, response: any) => {
  const sort = request.query.sort || 'created_at';
  const { rows } = await pool.query('SELECT uuid, status FROM orders ORDER BY ' + sort);
  response.json(rows);
};
