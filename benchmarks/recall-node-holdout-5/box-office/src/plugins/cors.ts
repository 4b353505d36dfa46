import fp from 'fastify-plugin';
import { config } from '../config';

const allowed = new Set(config.corsOrigins.map((o) => o.trim()).filter(Boolean));

export default fp(async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin && allowed.has(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
      reply.header('Access-Control-Allow-Credentials', 'true');
      reply.header('Access-Control-Allow-Headers', 'authorization,content-type,idempotency-key');
      reply.header('Access-Control-Allow-Methods', 'GET,POST,PUT,PATCH,DELETE');
    }
    if (request.method === 'OPTIONS') {
      return reply.code(204).send();
    }
  });
});
