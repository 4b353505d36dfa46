import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PayoutService } from './service.js';
import { PageQuery } from '../../lib/pagination.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const payouts = new PayoutService(app.prisma);
  app.addHook('preHandler', app.authenticate);
  app.addHook('preHandler', app.requireRole('INSTRUCTOR'));

  app.get('/balance', async (request) => payouts.balance(request.principal.userId));

  app.get('/', { schema: { querystring: PageQuery } }, async (request) => {
    return payouts.list(request.principal.userId, request.query);
  });

  app.get('/:id', { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } }, async (request) => {
    return payouts.get(request.principal.userId, request.params.id);
  });

  app.post('/', {
    schema: { body: Type.Object({ amountCents: Type.Integer({ minimum: 1, maximum: 10_000_000 }) }, { additionalProperties: false }) },
  }, async (request, reply) => {
    const payout = await payouts.request(request.principal.userId, request.body.amountCents);
    return reply.status(202).send(payout);
  });
};

export default routes;
