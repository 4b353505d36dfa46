import { randomBytes, timingSafeEqual } from 'node:crypto';
import config from '../config.js';

export class HttpError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function ensureAuthenticated(req, _res, next) {
  if (req.isAuthenticated && req.isAuthenticated()) return next();
  return next(new HttpError(401, 'Please sign in', 'unauthenticated'));
}

export function ensureRole(...roles) {
  return (req, _res, next) => {
    if (!req.user) return next(new HttpError(401, 'Please sign in', 'unauthenticated'));
    if (!roles.includes(req.user.role)) return next(new HttpError(403, 'Not allowed', 'forbidden'));
    return next();
  };
}

/** Synchroniser token: issued into the session, echoed by the SPA in X-CSRF-Token. */
export function csrfToken(req) {
  if (!req.session.csrfToken) {
    req.session.csrfToken = randomBytes(24).toString('base64url');
  }
  return req.session.csrfToken;
}

export function verifyCsrf(req, _res, next) {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  const expected = req.session?.csrfToken;
  const given = req.get('X-CSRF-Token');
  if (
    !expected ||
    !given ||
    given.length !== expected.length ||
    !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  ) {
    return next(new HttpError(403, 'CSRF token missing or invalid', 'csrf'));
  }
  return next();
}

export function requirePartnerKey(req, _res, next) {
  const provided = req.get('X-Partner-Key');
  if (!provided || provided !== config.partnerApiKey) {
    return next(new HttpError(401, 'Invalid partner key', 'unauthenticated'));
  }
  return next();
}

export const asyncRoute = (fn) => (req, res, next) => Promise.resolve(fn(req, res, next)).catch(next);
