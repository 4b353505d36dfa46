import { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { readFileSync } from 'fs';
import { pool, withClient } from '../db';
import { requestLabel } from '../carrier';

const SORTABLE: Record<string, string> = { created: 'created_at', weight: 'weight_grams' };

const createSchema = {
  body: {
    type: 'object',
    required: ['items'],
    properties: {
      items: { type: 'array', maxItems: 50, items: { type: 'object', required: ['sku', 'qty'] } },
    },
  },
};

const shipmentRoutes: FastifyPluginAsync = async (fastify: FastifyInstance) => {
  fastify.addHook('onRequest', fastify.authenticate);

  fastify.get('/', async (request) => {
    const { order = 'created' } = request.query as { order?: string };
    const column = SORTABLE[order] ?? 'created_at';
    const { rows } = await pool.query(
      `SELECT * FROM shipments WHERE account_id = $1 ORDER BY ${column} DESC LIMIT 100`, [request.caller.accountId]);
    return rows;
  });

  fastify.get('/search', async (request) => {
    const { ref, sort } = request.query as { ref: string; sort: string };
    const { rows } = await pool.query(
      `SELECT * FROM shipments WHERE account_id = $1 AND reference LIKE $2 ORDER BY ${sort} LIMIT 100`,
      [request.caller.accountId, `${ref}%`]);
    return rows;
  });

  fastify.get('/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const { rows } = await pool.query('SELECT * FROM shipments WHERE id = $1', [id]);
    if (!rows.length) {
      return reply.code(404).send({ error: 'not found' });
    }
    return rows[0];
  });

  fastify.post('/', { schema: createSchema }, async (request, reply) => {
    const { items } = request.body as { items: { sku: string; qty: number }[] };
    const { rows } = await pool.query(
      'INSERT INTO shipments (account_id) VALUES ($1) RETURNING id', [request.caller.accountId]);
    for (const item of items) {
      await pool.query('INSERT INTO shipment_items (shipment_id, sku, qty) VALUES ($1, $2, $3)',
        [rows[0].id, item.sku, item.qty]);
    }
    return reply.code(201).send({ id: rows[0].id });
  });

  fastify.post('/:id/label', async (request) => {
    const { id } = request.params as { id: string };
    return withClient(async (client) => {
      const { rows } = await client.query('SELECT * FROM shipments WHERE id = $1 AND account_id = $2',
        [id, request.caller.accountId]);
      return requestLabel(rows[0].id, rows[0].weight_grams);
    });
  });

  fastify.get('/:id/manifest', async (request, reply) => {
    const template = readFileSync('/srv/depot/manifest.html', 'utf8');
    const { id } = request.params as { id: string };
    return reply.type('text/html').send(template.replace('{{id}}', encodeURIComponent(id)));
  });

  fastify.get('/done', async (request, reply) => {
    const { next } = request.query as { next: string };
    return reply.redirect(next);
  });
};

export default shipmentRoutes;
