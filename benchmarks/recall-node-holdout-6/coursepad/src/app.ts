import Fastify, { type FastifyError } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { config } from './config.js';
import prismaPlugin from './plugins/prisma.js';
import redisPlugin from './plugins/redis.js';
import authPlugin from './plugins/auth.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import { HttpError } from './lib/errors.js';
import authRoutes from './modules/auth/routes.js';
import userRoutes from './modules/users/routes.js';
import courseRoutes from './modules/courses/routes.js';
import enrollmentRoutes from './modules/enrollments/routes.js';
import reviewRoutes from './modules/reviews/routes.js';
import payoutRoutes from './modules/payouts/routes.js';
import adminRoutes from './modules/admin/routes.js';
import webhookRoutes from './modules/webhooks/routes.js';
import reportRoutes from './modules/reports/routes.js';
import certificateRoutes from './modules/certificates/routes.js';
import giftRoutes from './modules/gifts/routes.js';

export async function buildApp() {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-internal-token"]', '*.password'],
    },
    bodyLimit: 256 * 1024,
    trustProxy: config.trustProxyHops,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(helmet);
  await app.register(cors, {
    origin: config.corsOrigins,
    credentials: true,
  });
  await app.register(cookie);
  await app.register(prismaPlugin);
  await app.register(redisPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      return reply.status(error.statusCode).send({ error: error.message, code: error.code });
    }
    if ('validation' in error && error.validation) {
      return reply.status(400).send({ error: 'validation failed', details: error.validation });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: 'internal server error', requestId: request.id });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    await app.prisma.$queryRaw`SELECT 1`;
    await app.redis.ping();
    return reply.send({ status: 'ready' });
  });

  await app.register(authRoutes, { prefix: '/v1/auth' });
  await app.register(userRoutes, { prefix: '/v1/me' });
  await app.register(courseRoutes, { prefix: '/v1/courses' });
  await app.register(enrollmentRoutes, { prefix: '/v1/enrollments' });
  await app.register(reviewRoutes, { prefix: '/v1' });
  await app.register(payoutRoutes, { prefix: '/v1/payouts' });
  await app.register(adminRoutes, { prefix: '/v1/admin' });
  await app.register(webhookRoutes, { prefix: '/v1/webhooks' });
  await app.register(reportRoutes, { prefix: '/v1/reports' });
  await app.register(certificateRoutes, { prefix: '/v1/certificates' });
  await app.register(giftRoutes, { prefix: '/v1/gifts' });

  return app;
}
