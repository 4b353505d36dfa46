'use strict';

const { verifyAccessToken, safeEqual } = require('../lib/tokens');
const config = require('../config');

class HttpError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || 'error';
  }
}

function requireAuth(req, res, next) {
  const header = req.get('authorization') || '';
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer' || !token) {
    return next(new HttpError(401, 'Authentication required', 'unauthenticated'));
  }
  try {
    const claims = verifyAccessToken(token);
    req.user = { id: Number(claims.sub), role: claims.role };
    return next();
  } catch (err) {
    return next(new HttpError(401, 'Invalid or expired token', 'unauthenticated'));
  }
}

function requireRole(...roles) {
  return function roleGuard(req, res, next) {
    if (!req.user) {
      return next(new HttpError(401, 'Authentication required', 'unauthenticated'));
    }
    if (!roles.includes(req.user.role)) {
      return next(new HttpError(403, 'Forbidden', 'forbidden'));
    }
    return next();
  };
}

/** Service-to-service calls from the box-office kiosks. */
function requireInternalKey(req, res, next) {
  const presented = req.get('x-internal-key') || '';
  if (!safeEqual(presented, config.internalApiKey)) {
    return next(new HttpError(401, 'Invalid internal key', 'unauthenticated'));
  }
  return next();
}

module.exports = { requireAuth, requireRole, requireInternalKey, HttpError };
