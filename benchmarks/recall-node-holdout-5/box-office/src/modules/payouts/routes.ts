import { FastifyPluginAsync } from 'fastify';
import { PayoutsService } from './service';
import { HttpError } from '../../plugins/errors';

const payoutRoutes: FastifyPluginAsync = async (app) => {
  const service = new PayoutsService(app.db);

  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', app.requireRole('organizer'));

  app.get('/balance', async (request) => {
    const organizerId = request.user!.organizerId!;
    return { availableCents: await service.availableCents(app.db, organizerId) };
  });

  app.get<{ Querystring: { limit: number } }>(
    '/',
    {
      schema: {
        querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } },
      },
    },
    async (request) => service.list(request.user!.organizerId!, request.query.limit),
  );

  app.post('/', async (request, reply) => {
    const organizerId = request.user!.organizerId;
    if (!organizerId) {
      throw new HttpError(403, 'No organizer profile', 'forbidden');
    }
    const payout = await service.requestPayout(organizerId);
    return reply.code(201).send(payout);
  });
};

export default payoutRoutes;
