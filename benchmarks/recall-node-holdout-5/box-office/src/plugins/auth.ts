import fp from 'fastify-plugin';
import jwt from 'jsonwebtoken';
import { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { config } from '../config';

export type Role = 'customer' | 'organizer' | 'scanner' | 'admin';

export interface AuthUser {
  id: string;
  role: Role;
  organizerId: string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    requireRole: (...roles: Role[]) => preHandlerHookHandler;
  }
  interface FastifyRequest {
    user?: AuthUser;
  }
}

interface Claims {
  sub: string;
  role: Role;
  org?: string;
}

export default fp(async (app) => {
  app.decorateRequest('user', undefined);

  app.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    try {
      const claims = jwt.verify(header.slice(7), config.jwtSecret, {
        algorithms: ['HS256'],
        issuer: config.jwtIssuer,
      }) as Claims;
      request.user = { id: claims.sub, role: claims.role, organizerId: claims.org ?? null };
    } catch {
      return reply.code(401).send({ error: 'unauthorized' });
    }
  });

  app.decorate('requireRole', (...roles: Role[]): preHandlerHookHandler => {
    return function (request, reply, done) {
      if (!request.user || !roles.includes(request.user.role)) {
        reply.code(403).send({ error: 'forbidden' });
        return;
      }
      done();
    };
  });
});
