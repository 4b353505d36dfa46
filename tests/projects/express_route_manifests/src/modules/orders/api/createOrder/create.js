import { pool } from '../../../../db.js';

export default async (request, response) => {
  const { rows } = await pool.query('INSERT INTO orders (email) VALUES ($1) RETURNING uuid', [request.body.email]);
  response.status(201).json({ uuid: rows[0].uuid });
};
