import { FastifyPluginAsync } from 'fastify';
import { PartnersService } from './service';
import { HttpError } from '../../plugins/errors';

const partnerRoutes: FastifyPluginAsync = async (app) => {
  const service = new PartnersService(app.db);

  app.route<{ Body: { feedUrl: string } }>({
    method: 'POST',
    url: '/feeds/import',
    onRequest: [app.authenticate],
    preHandler: [app.requireRole('organizer')],
    schema: {
      body: {
        type: 'object',
        required: ['feedUrl'],
        additionalProperties: false,
        properties: { feedUrl: { type: 'string', format: 'uri', maxLength: 2048 } },
      },
    },
    handler: async (request) => {
      const organizerId = request.user!.organizerId;
      if (!organizerId) {
        throw new HttpError(403, 'No organizer profile', 'forbidden');
      }
      return service.importFeed(organizerId, request.body.feedUrl);
    },
  });
};

export default partnerRoutes;
