import fp from 'fastify-plugin';
import { FastifyRequest, preHandlerHookHandler } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    rateLimit: (opts: { name: string; max: number; windowMs: number; key?: (r: FastifyRequest) => string }) => preHandlerHookHandler;
  }
}

/**
 * Fixed-window limiter backed by the rate_limits table so every replica shares the counts.
 */
export default fp(async (app) => {
  app.decorate('rateLimit', ({ name, max, windowMs, key }) => {
    return async function (request, reply) {
      const who = key ? key(request) : request.ip;
      const windowStart = new Date(Math.floor(Date.now() / windowMs) * windowMs);
      const { rows } = await app.pg.query<{ hits: number }>(
        `INSERT INTO rate_limits (bucket, subject, window_start, hits)
         VALUES ($1, $2, $3, 1)
         ON CONFLICT (bucket, subject, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits`,
        [name, who, windowStart],
      );
      if (rows[0].hits > max) {
        reply.header('Retry-After', Math.ceil(windowMs / 1000));
        return reply.code(429).send({ error: 'rate_limited' });
      }
    };
  });
});
