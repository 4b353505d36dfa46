import { FastifyPluginAsync } from 'fastify';
import { OrdersService } from '../orders/service';
import { HttpError } from '../../plugins/errors';
import { newScannerKey } from '../../lib/tokens';
import { createHash } from 'crypto';

const adminRoutes: FastifyPluginAsync = async (app) => {
  const orders = new OrdersService(app.db);
  const adminOnly = app.requireRole('admin');

  app.addHook('onRequest', app.authenticate);

  app.get<{ Querystring: { q?: string; page: number } }>(
    '/users',
    {
      preHandler: adminOnly,
      schema: {
        querystring: {
          type: 'object',
          properties: {
            q: { type: 'string', maxLength: 100 },
            page: { type: 'integer', minimum: 1, maximum: 1000, default: 1 },
          },
        },
      },
    },
    async (request) => {
      const { q, page } = request.query;
      return app.db('users')
        .select('id', 'email', 'full_name', 'role', 'organizer_id', 'created_at')
        .modify((query) => {
          if (q) {
            query.whereILike('email', `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
          }
        })
        .orderBy('created_at', 'desc')
        .limit(50)
        .offset((page - 1) * 50);
    },
  );

  app.put<{ Params: { id: string }; Body: { role: 'customer' | 'organizer' | 'scanner' | 'admin'; organizerId?: string } }>(
    '/users/:id/role',
    {
      preHandler: adminOnly,
      schema: {
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: ['customer', 'organizer', 'scanner', 'admin'] },
            organizerId: { type: 'string', format: 'uuid' },
          },
        },
      },
    },
    async (request) => {
      const updated = await app.db('users')
        .where({ id: request.params.id })
        .update({ role: request.body.role, organizer_id: request.body.organizerId ?? null })
        .returning(['id', 'role', 'organizer_id']);
      if (updated.length === 0) {
        throw new HttpError(404, 'User not found', 'not_found');
      }
      request.log.info({ admin: request.user!.id, target: request.params.id, role: request.body.role }, 'role changed');
      return updated[0];
    },
  );

  app.post<{ Params: { orderId: string }; Body: { reason: string } }>(
    '/orders/:orderId/refund',
    {
      schema: {
        body: {
          type: 'object',
          required: ['reason'],
          additionalProperties: false,
          properties: { reason: { type: 'string', minLength: 3, maxLength: 500 } },
        },
      },
    },
    async (request, reply) => {
      await orders.refund(request.params.orderId, request.body.reason);
      request.log.info({ admin: request.user!.id, order: request.params.orderId }, 'order refunded by support');
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { eventId: string }; Body: { label: string } }>(
    '/events/:eventId/scanners',
    {
      preHandler: adminOnly,
      schema: {
        body: {
          type: 'object',
          required: ['label'],
          additionalProperties: false,
          properties: { label: { type: 'string', minLength: 1, maxLength: 60 } },
        },
      },
    },
    async (request, reply) => {
      const key = newScannerKey();
      const [scanner] = await app.db('scanners')
        .insert({
          event_id: request.params.eventId,
          label: request.body.label,
          key_hash: createHash('sha256').update(key).digest('hex'),
        })
        .returning(['id', 'label']);
      return reply.code(201).send({ ...scanner, key });
    },
  );
};

export default adminRoutes;
