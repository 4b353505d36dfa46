import { FastifyPluginAsync } from 'fastify';
import { createHmac, timingSafeEqual } from 'crypto';
import { config } from '../../config';
import { OrdersService } from '../orders/service';

interface ProviderEvent {
  id: string;
  type: 'payment_intent.succeeded' | 'payment_intent.failed' | string;
  data: { id: string; metadata?: { order_id?: string } };
}

const webhookRoutes: FastifyPluginAsync = async (app) => {
  const orders = new OrdersService(app.db);

  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, body);
  });

  app.post<{ Body: Buffer }>('/payments', async (request, reply) => {
    const header = String(request.headers['x-payrail-signature'] ?? '');
    const [tPart, v1Part] = header.split(',');
    const timestamp = Number(tPart?.replace('t=', ''));
    const provided = Buffer.from(v1Part?.replace('v1=', '') ?? '', 'hex');
    const expected = createHmac('sha256', config.payments.webhookSecret)
      .update(`${timestamp}.${request.body.toString('utf8')}`)
      .digest();
    if (
      !Number.isFinite(timestamp) ||
      Math.abs(Date.now() / 1000 - timestamp) > 300 ||
      provided.length !== expected.length ||
      !timingSafeEqual(provided, expected)
    ) {
      return reply.code(400).send({ error: 'bad_signature' });
    }

    const event = JSON.parse(request.body.toString('utf8')) as ProviderEvent;
    const inserted = await app.db('provider_events').insert({ id: event.id, type: event.type }).onConflict('id').ignore().returning('id');
    if (inserted.length === 0) {
      return { duplicate: true };
    }

    const orderId = event.data.metadata?.order_id;
    if (event.type === 'payment_intent.succeeded' && orderId) {
      await orders.markPaid(orderId);
    } else if (event.type === 'payment_intent.failed' && orderId) {
      await app.db('orders').where({ id: orderId, status: 'pending' }).update({ payment_failed_at: app.db.fn.now() });
    }
    return { received: true };
  });
};

export default webhookRoutes;
