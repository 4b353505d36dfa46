import { FastifyPluginAsync } from 'fastify';
import { createReadStream } from 'fs';
import { access } from 'fs/promises';
import { TicketsService } from './service';
import { ticketPdfPath } from '../../lib/media';
import { HttpError } from '../../plugins/errors';

const ticketRoutes: FastifyPluginAsync = async (app) => {
  const tickets = new TicketsService(app.db);
  app.addHook('onRequest', app.authenticate);

  app.get<{ Querystring: { limit: number; offset: number } }>(
    '/',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 10_000, default: 0 },
          },
        },
      },
    },
    async (request) => tickets.listForHolder(request.user!.id, request.query.limit, request.query.offset),
  );

  app.get<{ Params: { id: string } }>('/:id/pdf', async (request, reply) => {
    const ticket = await tickets.getForHolder(request.params.id, request.user!.id);
    const file = ticketPdfPath(ticket.id);
    await access(file).catch(() => {
      throw new HttpError(404, 'Ticket PDF not generated yet', 'not_found');
    });
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="ticket-${ticket.id}.pdf"`);
    return reply.send(createReadStream(file));
  });

  app.post<{ Params: { id: string }; Body: { recipientEmail: string } }>(
    '/:id/transfer',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } },
        body: {
          type: 'object',
          required: ['recipientEmail'],
          additionalProperties: false,
          properties: { recipientEmail: { type: 'string', format: 'email', maxLength: 254 } },
        },
      },
    },
    async (request) => tickets.startTransfer(request.params.id, request.body.recipientEmail),
  );

  app.post<{ Body: { code: string } }>(
    '/claim',
    {
      preHandler: app.rateLimit({ name: 'ticket-claim', max: 20, windowMs: 60 * 60_000, key: (r) => r.user!.id }),
      schema: {
        body: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code: { type: 'string', minLength: 10, maxLength: 64 } },
        },
      },
    },
    async (request) => {
      const user = await app.db('users').select('email').where({ id: request.user!.id }).first();
      return tickets.claim(request.user!.id, user.email, request.body.code);
    },
  );
};

export default ticketRoutes;
