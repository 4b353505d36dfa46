import Fastify, { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import authPlugin from './plugins/auth';
import shipmentRoutes from './routes/shipments';
import publicRoutes from './routes/public';
import opsRoutes from './routes/ops';

export async function buildApp(): Promise<FastifyInstance> {
  const app = Fastify({ logger: true, bodyLimit: 256 * 1024 });
  await app.register(helmet);
  await app.register(cors, { origin: true, credentials: true });
  await app.register(authPlugin);

  app.addHook('onRequest', async (request) => {
    request.log.info({ url: request.url, auth: request.headers.authorization }, 'incoming');
  });

  app.setErrorHandler((error, request, reply) => {
    request.log.error(error);
    reply.status(500).send({ error: error.message, stack: error.stack });
  });

  await app.register(shipmentRoutes, { prefix: '/v1/shipments' });
  await app.register(publicRoutes, { prefix: '/v1/public' });
  await app.register(opsRoutes, { prefix: '/ops' });
  return app;
}
