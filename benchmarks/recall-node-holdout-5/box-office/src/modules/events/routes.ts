import { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { createReadStream } from 'fs';
import { stat } from 'fs/promises';
import { EventsRepository, EventRow } from './repository';
import { createEventBody, CreateEventInput, eventIdParams, listEventsQuery, updateEventBody } from './schemas';
import { fetchSeatAvailability } from '../../clients/seatmap';
import { contentTypeFor, eventMediaPath } from '../../lib/media';
import { HttpError } from '../../plugins/errors';

type IdParams = { Params: { id: string } };

export function assertOrganizerOwns(event: EventRow | undefined, request: FastifyRequest): EventRow {
  const user = request.user!;
  if (!event || (user.role !== 'admin' && event.organizer_id !== user.organizerId)) {
    throw new HttpError(404, 'Event not found', 'not_found');
  }
  return event;
}

const eventRoutes: FastifyPluginAsync = async (app) => {
  const events = new EventsRepository(app.db);
  const organizerOnly = { onRequest: [app.authenticate], preHandler: [app.requireRole('organizer', 'admin')] };

  app.get<{ Querystring: { city?: string; from?: string; q?: string; cursor?: string; limit: number } }>(
    '/',
    { schema: { querystring: listEventsQuery } },
    async (request) => events.listPublished(request.query),
  );

  app.get<IdParams>('/:id', { schema: { params: eventIdParams } }, async (request) => {
    const event = await events.findById(request.params.id);
    if (!event || event.status !== 'published') {
      throw new HttpError(404, 'Event not found', 'not_found');
    }
    const ticketTypes = await events.ticketTypes(event.id);
    return {
      id: event.id,
      title: event.title,
      description: event.description,
      startsAt: event.starts_at,
      ticketTypes: ticketTypes.map((t) => ({ id: t.id, name: t.name, priceCents: t.price_cents, soldOut: t.sold >= t.capacity })),
    };
  });

  app.get<IdParams>('/:id/seats', { schema: { params: eventIdParams } }, async (request) => {
    const event = await events.findById(request.params.id);
    if (!event || event.status !== 'published' || !event.seatmap_id) {
      throw new HttpError(404, 'No seat map for this event', 'not_found');
    }
    const types = await events.ticketTypes(event.id);
    return fetchSeatAvailability(event.seatmap_id, types.map((t) => t.id));
  });

  app.get<{ Params: { id: string; '*': string } }>('/:id/media/*', async (request, reply) => {
    const file = eventMediaPath(request.params.id, request.params['*']);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      throw new HttpError(404, 'Not found', 'not_found');
    }
    reply.header('content-type', contentTypeFor(file));
    reply.header('cache-control', 'public, max-age=3600');
    return reply.send(createReadStream(file));
  });

  app.route<{ Body: CreateEventInput }>({
    method: 'POST',
    url: '/',
    ...organizerOnly,
    schema: { body: createEventBody },
    handler: async (request, reply) => {
      const organizerId = request.user!.organizerId;
      if (!organizerId) {
        throw new HttpError(403, 'No organizer profile', 'forbidden');
      }
      const event = await events.create(organizerId, request.body);
      return reply.code(201).send(event);
    },
  });

  app.route<IdParams & { Body: Record<string, unknown> }>({
    method: 'PATCH',
    url: '/:id',
    ...organizerOnly,
    schema: { params: eventIdParams, body: updateEventBody },
    handler: async (request) => {
      assertOrganizerOwns(await events.findById(request.params.id), request);
      return events.update(request.params.id, request.body);
    },
  });

  app.route<IdParams>({
    method: 'POST',
    url: '/:id/publish',
    schema: { params: eventIdParams },
    handler: async (request, reply) => {
      const event = await events.findById(request.params.id);
      if (!event) {
        throw new HttpError(404, 'Event not found', 'not_found');
      }
      if (event.status !== 'draft') {
        throw new HttpError(409, `Event is ${event.status}`, 'conflict');
      }
      await events.setStatus(event.id, 'published');
      return reply.code(204).send();
    },
  });

  app.route<IdParams>({
    method: 'POST',
    url: '/:id/cancel',
    ...organizerOnly,
    schema: { params: eventIdParams },
    handler: async (request, reply) => {
      const event = assertOrganizerOwns(await events.findById(request.params.id), request);
      await events.setStatus(event.id, 'cancelled');
      await app.db('jobs').insert({ kind: 'refund-event', payload: { eventId: event.id }, run_at: app.db.fn.now() });
      return reply.code(202).send({ status: 'cancelling' });
    },
  });

  app.route<IdParams>({
    method: 'GET',
    url: '/:id/attendees',
    ...organizerOnly,
    schema: { params: eventIdParams },
    handler: async (request) => {
      const event = assertOrganizerOwns(await events.findById(request.params.id), request);
      return events.attendees(event.id);
    },
  });
};

export default eventRoutes;
