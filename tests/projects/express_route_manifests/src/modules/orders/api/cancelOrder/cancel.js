import { pool } from '../../../../db.js';

export default async (request, response) => {
  await pool.query('UPDATE orders SET status = $1 WHERE uuid = $2 AND customer_id = $3',
    ['cancelled', request.params.id, request.locals.customer.id]);
  response.json({ cancelled: request.params.id });
};
