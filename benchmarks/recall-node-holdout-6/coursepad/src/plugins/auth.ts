import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '@prisma/client';
import { config } from '../config.js';
import { Forbidden, Unauthorized } from '../lib/errors.js';

export interface Principal {
  userId: string;
  role: Role;
  email: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: preHandlerHookHandler;
    requireRole: (...roles: Role[]) => preHandlerHookHandler;
    requireInternal: preHandlerHookHandler;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length).trim();
}

export async function verifyAccessToken(token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      requiredClaims: ['exp', 'sub'],
    });
    return {
      userId: payload.sub as string,
      role: payload.role as Role,
      email: payload.email as string,
    };
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw new Unauthorized('token expired');
    throw new Unauthorized('invalid token');
  }
}

export default fp(async (app) => {
  app.decorateRequest('principal', null as unknown as Principal);

  app.decorate('authenticate', async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = bearer(request);
    if (!token) throw new Unauthorized('missing bearer token');
    request.principal = await verifyAccessToken(token);
  });

  app.decorate('requireRole', (...roles: Role[]): preHandlerHookHandler => {
    return async (request: FastifyRequest) => {
      if (!request.principal) throw new Unauthorized('not authenticated');
      if (!roles.includes(request.principal.role)) {
        throw new Forbidden('insufficient role');
      }
    };
  });

  app.decorate('requireInternal', async (request: FastifyRequest) => {
    const provided = request.headers['x-internal-token'];
    if (typeof provided !== 'string' || provided !== config.internalToken) {
      throw new Unauthorized('invalid internal token');
    }
  });
}, { name: 'auth' });
