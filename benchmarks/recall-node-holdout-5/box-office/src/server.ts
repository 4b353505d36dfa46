import Fastify, { FastifyInstance } from 'fastify';
import { config } from './config';
import dbPlugin from './plugins/db';
import authPlugin from './plugins/auth';
import errorsPlugin from './plugins/errors';
import rateLimitPlugin from './plugins/rate-limit';
import corsPlugin from './plugins/cors';
import authRoutes from './modules/auth/routes';
import eventRoutes from './modules/events/routes';
import orderRoutes from './modules/orders/routes';
import ticketRoutes from './modules/tickets/routes';
import checkinRoutes from './modules/checkins/routes';
import reportRoutes from './modules/reports/routes';
import partnerRoutes from './modules/partners/routes';
import payoutRoutes from './modules/payouts/routes';
import adminRoutes from './modules/admin/routes';
import webhookRoutes from './modules/webhooks/routes';

export async function buildApp(): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: process.env.LOG_LEVEL ?? 'info',
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-scanner-key"]'],
    },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: true, coerceTypes: 'array', useDefaults: true } },
  });

  await app.register(corsPlugin);
  await app.register(dbPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);
  await app.register(errorsPlugin);

  app.get('/healthz', async () => ({ ok: true }));

  await app.register(authRoutes, { prefix: '/v1/auth' });
  await app.register(eventRoutes, { prefix: '/v1/events' });
  await app.register(orderRoutes, { prefix: '/v1/orders' });
  await app.register(ticketRoutes, { prefix: '/v1/tickets' });
  await app.register(checkinRoutes, { prefix: '/v1/checkins' });
  await app.register(reportRoutes, { prefix: '/v1/reports' });
  await app.register(partnerRoutes, { prefix: '/v1/partners' });
  await app.register(payoutRoutes, { prefix: '/v1/payouts' });
  await app.register(adminRoutes, { prefix: '/v1/admin' });
  await app.register(webhookRoutes, { prefix: '/v1/webhooks' });

  return app;
}
