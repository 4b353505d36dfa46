import { FastifyPluginAsync } from 'fastify';
import { PassThrough } from 'stream';
import { ReportsRepository } from './repository';
import { EventsRepository } from '../events/repository';
import { assertOrganizerOwns } from '../events/routes';

interface SalesQuery {
  groupBy: 'day' | 'week' | 'ticket_type';
  sort: string;
  direction: 'asc' | 'desc';
}

const reportRoutes: FastifyPluginAsync = async (app) => {
  const reports = new ReportsRepository(app.db, app.pg);
  const events = new EventsRepository(app.db);

  app.addHook('onRequest', app.authenticate);
  app.addHook('preHandler', app.requireRole('organizer', 'admin'));

  app.get<{ Params: { eventId: string }; Querystring: SalesQuery }>(
    '/events/:eventId/sales',
    {
      schema: {
        params: { type: 'object', properties: { eventId: { type: 'string', format: 'uuid' } } },
        querystring: {
          type: 'object',
          properties: {
            groupBy: { type: 'string', enum: ['day', 'week', 'ticket_type'], default: 'day' },
            sort: { type: 'string', maxLength: 40, default: 'bucket' },
            direction: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
          },
        },
      },
    },
    async (request) => {
      const event = assertOrganizerOwns(await events.findById(request.params.eventId), request);
      const { groupBy, sort, direction } = request.query;
      return reports.sales(event.id, groupBy, sort, direction);
    },
  );

  app.get<{ Params: { eventId: string }; Querystring: { limit: number } }>(
    '/events/:eventId/top-buyers',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
        },
      },
    },
    async (request) => {
      const event = assertOrganizerOwns(await events.findById(request.params.eventId), request);
      return reports.topBuyers(event.id, request.query.limit);
    },
  );

  app.get<{ Params: { eventId: string } }>('/events/:eventId/attendees.csv', async (request, reply) => {
    const event = assertOrganizerOwns(await events.findById(request.params.eventId), request);
    const stream = new PassThrough();
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="attendees-${event.id}.csv"`);
    reports.exportAttendeesCsv(event.id, stream).then(
      () => stream.end(),
      (err) => {
        request.log.error({ err, eventId: event.id }, 'attendee export failed');
        stream.destroy(err);
      },
    );
    return reply.send(stream);
  });
};

export default reportRoutes;
