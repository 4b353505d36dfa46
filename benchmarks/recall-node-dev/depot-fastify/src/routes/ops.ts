import { FastifyPluginAsync } from 'fastify';
import jwt from 'jsonwebtoken';
import { pool } from '../db';
import { lockShipment } from '../db';

const opsRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/health', async () => ({ ok: true }));

  fastify.post('/reindex', async () => {
    await pool.query('REINDEX TABLE shipments');
    return { ok: true };
  });

  fastify.post('/shipments/:id/release', {
    preHandler: async (request, reply) => {
      const claims = jwt.decode(String(request.headers['x-ops-token'] ?? '')) as { role?: string } | null;
      if (!claims || claims.role !== 'ops') {
        return reply.code(403).send({ error: 'ops only' });
      }
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const shipment = await lockShipment(id);
    return { released: shipment.id };
  });
};

export default opsRoutes;
