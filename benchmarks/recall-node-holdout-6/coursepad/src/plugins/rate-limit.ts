import fp from 'fastify-plugin';
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { HttpError } from '../lib/errors.js';

export interface RateLimitOptions {
  name: string;
  max: number;
  windowSec: number;
  key?: (request: FastifyRequest) => string;
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimit: (opts: RateLimitOptions) => preHandlerHookHandler;
  }
}

export default fp(async (app) => {
  app.decorate('rateLimit', (opts: RateLimitOptions): preHandlerHookHandler => {
    return async (request, reply) => {
      const subject = opts.key ? opts.key(request) : request.ip;
      const bucket = Math.floor(Date.now() / 1000 / opts.windowSec);
      const key = `rl:${opts.name}:${subject}:${bucket}`;
      const count = await app.redis.incr(key);
      if (count === 1) {
        await app.redis.expire(key, opts.windowSec);
      }
      reply.header('x-ratelimit-limit', opts.max);
      reply.header('x-ratelimit-remaining', Math.max(0, opts.max - count));
      if (count > opts.max) {
        reply.header('retry-after', opts.windowSec);
        throw new HttpError(429, 'too many requests');
      }
    };
  });
}, { name: 'rate-limit', dependencies: ['redis'] });
