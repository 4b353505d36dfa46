import { pool } from '../../../../db.js';

export default async (request, response) => {
  await pool.query('DELETE FROM orders WHERE uuid = $1', [request.params.id]);
  response.status(204).end();
};
