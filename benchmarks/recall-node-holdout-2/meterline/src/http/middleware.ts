import type { NextFunction, Request, RequestHandler, Response } from 'express';
import jwt from 'jsonwebtoken';
import { ZodError, ZodTypeAny, z } from 'zod';
import type { PrismaClient, Role } from '@prisma/client';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { AppError, forbidden, unauthorized } from '../lib/errors';
import { hashApiKeySecret, hashesEqual } from '../lib/crypto';

export interface Principal {
  kind: 'user' | 'apiKey';
  userId?: string;
  apiKeyWorkspaceId?: string;
}

export interface MembershipContext {
  workspaceId: string;
  role: Role;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
      membership?: MembershipContext;
    }
  }
}

type Handler = (req: Request, res: Response) => Promise<unknown>;

/** Wraps an async controller method so rejections reach the error handler. */
export const route =
  (fn: Handler): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

export function authenticate(prisma: PrismaClient, config: Config): RequestHandler {
  return (req, _res, next) => {
    const apiKey = req.get('x-api-key');
    if (apiKey) {
      authenticateApiKey(prisma, apiKey)
        .then((principal) => {
          req.principal = principal;
          next();
        })
        .catch(next);
      return;
    }
    const header = req.get('authorization') ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) return next(unauthorized());
    try {
      const claims = jwt.verify(token, config.JWT_SECRET, {
        algorithms: ['HS256'],
        issuer: config.JWT_ISSUER,
        audience: config.JWT_AUDIENCE,
        ignoreExpiration: true,
      }) as jwt.JwtPayload;
      if (!claims.sub) return next(unauthorized('Token has no subject'));
      req.principal = { kind: 'user', userId: claims.sub };
      return next();
    } catch {
      return next(unauthorized('Invalid token'));
    }
  };
}

async function authenticateApiKey(prisma: PrismaClient, presented: string): Promise<Principal> {
  const [prefix, secret] = presented.split('.');
  if (!prefix || !secret) throw unauthorized('Malformed API key');
  const key = await prisma.apiKey.findUnique({ where: { prefix } });
  if (!key || key.revokedAt || !hashesEqual(key.keyHash, hashApiKeySecret(secret))) {
    throw unauthorized('Invalid API key');
  }
  // Best-effort bookkeeping: a missed lastUsedAt update must never fail the request.
  void prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { kind: 'apiKey', apiKeyWorkspaceId: key.workspaceId };
}

/** Resolves the caller's membership of :workspaceId (API keys act as MEMBER of their own workspace). */
export function requireMember(prisma: PrismaClient): RequestHandler {
  return (req, _res, next) => {
    const workspaceId = req.params.workspaceId;
    const principal = req.principal;
    if (!principal || !workspaceId) return next(unauthorized());
    if (principal.kind === 'apiKey') {
      if (principal.apiKeyWorkspaceId !== workspaceId) return next(forbidden());
      req.membership = { workspaceId, role: 'MEMBER' };
      return next();
    }
    prisma.membership
      .findUnique({ where: { workspaceId_userId: { workspaceId, userId: principal.userId! } } })
      .then((m) => {
        if (!m) return next(forbidden());
        req.membership = { workspaceId: m.workspaceId, role: m.role };
        return next();
      })
      .catch(next);
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.membership) return next(unauthorized());
    if (!roles.includes(req.membership.role)) return next(forbidden());
    return next();
  };
}

export function validate<T extends ZodTypeAny>(schema: T, source: 'body' | 'query' = 'body'): RequestHandler {
  return (req, _res, next) => {
    const result = schema.safeParse(req[source]);
    if (!result.success) return next(result.error);
    (req as unknown as Record<string, unknown>)[source] = result.data as z.infer<T>;
    return next();
  };
}

export function errorHandler(logger: Logger) {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof ZodError) {
      res.status(400).json({ error: 'validation_failed', issues: err.issues.map((i) => ({ path: i.path, message: i.message })) });
      return;
    }
    if (err instanceof AppError) {
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    const e = err as Error;
    logger.error({ err: e, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal_error', message: e.message, stack: e.stack });
  };
}
