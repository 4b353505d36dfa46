import { NextFunction, Request, Response } from 'express';
import jwt, { JwtPayload } from 'jsonwebtoken';
import { config } from '../config';
import { Role } from '../entities/User';
import { HttpError } from './errors';

export interface AuthUser {
  id: string;
  role: Role;
  clinicId: string;
  patientId: string | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

export const PORTAL_COOKIE = 'portal_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function extractToken(req: Request): { token?: string; fromCookie: boolean } {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    return { token: header.slice('Bearer '.length), fromCookie: false };
  }
  // The patient portal is a browser app and keeps its session in a cookie.
  const cookie = req.cookies?.[PORTAL_COOKIE];
  return { token: typeof cookie === 'string' && cookie.length > 0 ? cookie : undefined, fromCookie: true };
}

export function requireAuth(req: Request, _res: Response, next: NextFunction) {
  const { token, fromCookie } = extractToken(req);
  if (!token) {
    return next(new HttpError(401, 'authentication required'));
  }
  // A custom header cannot be sent cross-site without a CORS preflight.
  if (fromCookie && !SAFE_METHODS.has(req.method) && req.get('X-Portal-Request') !== '1') {
    return next(new HttpError(403, 'missing X-Portal-Request header', 'csrf'));
  }
  try {
    const payload = jwt.verify(token, config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
    }) as JwtPayload;
    req.user = {
      id: String(payload.sub),
      role: payload.role as Role,
      clinicId: String(payload.clinic),
      patientId: (payload.patient as string | undefined) ?? null,
    };
    return next();
  } catch {
    return next(new HttpError(401, 'invalid or expired token'));
  }
}

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (!req.user) {
      return next(new HttpError(401, 'authentication required'));
    }
    if (!roles.includes(req.user.role)) {
      return next(new HttpError(403, 'insufficient role'));
    }
    return next();
  };
}

/** Staff = anyone working at the clinic, as opposed to portal patients. */
export const requireStaff = requireRole('admin', 'clinician', 'frontdesk');

export function currentUser(req: Request): AuthUser {
  if (!req.user) {
    throw new HttpError(401, 'authentication required');
  }
  return req.user;
}
