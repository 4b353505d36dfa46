import fp from 'fastify-plugin';
import jwt from 'jsonwebtoken';
import { FastifyReply, FastifyRequest } from 'fastify';

const SECRET = process.env.JWT_SECRET as string;

export interface Caller {
  sub: string;
  accountId: string;
  admin?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export default fp(async (fastify) => {
  fastify.decorate('authenticate', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) {
      return reply.code(401).send({ error: 'missing token' });
    }
    try {
      request.caller = jwt.verify(header.slice(7), SECRET, { algorithms: ['HS256'] }) as Caller;
    } catch {
      return reply.code(401).send({ error: 'bad token' });
    }
  });
});
