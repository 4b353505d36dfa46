import { FastifyPluginAsync } from 'fastify';
import { OrderRequest, OrdersService } from './service';
import { HttpError } from '../../plugins/errors';

const createOrderSchema = {
  headers: {
    type: 'object',
    required: ['idempotency-key'],
    properties: { 'idempotency-key': { type: 'string', minLength: 8, maxLength: 64 } },
  },
  body: {
    type: 'object',
    required: ['eventId', 'items'],
    additionalProperties: false,
    properties: {
      eventId: { type: 'string', format: 'uuid' },
      promoCode: { type: 'string', maxLength: 32 },
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: {
          type: 'object',
          required: ['ticketTypeId', 'quantity'],
          additionalProperties: false,
          properties: {
            ticketTypeId: { type: 'string', format: 'uuid' },
            quantity: { type: 'integer', minimum: 1, maximum: 20 },
          },
        },
      },
    },
  },
} as const;

const orderRoutes: FastifyPluginAsync = async (app) => {
  const service = new OrdersService(app.db);

  app.addHook('onRequest', app.authenticate);

  app.post<{ Body: OrderRequest; Headers: { 'idempotency-key': string } }>(
    '/',
    { schema: createOrderSchema },
    async (request, reply) => {
      const order = await service.createOrder(request.user!.id, request.body, request.headers['idempotency-key']);
      return reply.code(201).send(order);
    },
  );

  app.get<{ Querystring: { limit: number; before?: string } }>(
    '/',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
            before: { type: 'string', format: 'date-time' },
          },
        },
      },
    },
    async (request) => service.repo.listForUser(request.user!.id, request.query.limit, request.query.before),
  );

  app.get<{ Params: { id: string } }>('/:id', async (request) => {
    const order = await service.repo.findForUser(request.params.id, request.user!.id);
    if (!order) {
      throw new HttpError(404, 'Order not found', 'not_found');
    }
    return { ...order, items: await service.repo.items(order.id) };
  });

  app.post<{ Params: { id: string } }>('/:id/pay', async (request) => {
    return service.pay(request.user!.id, request.params.id, request.user!.id);
  });
};

export default orderRoutes;
