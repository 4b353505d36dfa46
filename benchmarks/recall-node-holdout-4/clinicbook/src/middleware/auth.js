import jwt from 'jsonwebtoken';
import { config } from '../config/index.js';
import { User } from '../models/index.js';
import { unauthorized, forbidden } from '../utils/errors.js';

function extractBearer(req) {
  const header = req.headers.authorization || '';
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer' || !token) return null;
  return token;
}

export async function requireAuth(req, _res, next) {
  try {
    const token = extractBearer(req);
    if (!token) throw unauthorized('Missing bearer token');

    const claims = jwt.verify(token, config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
    });

    const user = await User.findById(claims.sub).lean();
    if (!user || user.disabled || user.tokenVersion !== claims.ver) {
      throw unauthorized('Session is no longer valid');
    }

    req.user = {
      id: String(user._id),
      role: user.role,
      clinicId: user.clinic ? String(user.clinic) : null,
      patientId: user.patientProfile ? String(user.patientProfile) : null,
      email: user.email,
    };
    return next();
  } catch (err) {
    if (err instanceof jwt.JsonWebTokenError || err instanceof jwt.TokenExpiredError) {
      return next(unauthorized('Invalid or expired token'));
    }
    return next(err);
  }
}

export function requireRole(...roles) {
  return (req, _res, next) => {
    if (!req.user) return next(unauthorized());
    if (!roles.includes(req.user.role)) {
      return next(forbidden('Insufficient role'));
    }
    return next();
  };
}

export const STAFF_ROLES = ['practitioner', 'receptionist', 'clinic_admin'];

// Staff may only act inside their own clinic; platform admins anywhere.
export function requireSameClinic(paramName = 'clinicId') {
  return (req, _res, next) => {
    if (req.user.role === 'platform_admin') return next();
    if (req.params[paramName] !== req.user.clinicId) {
      return next(forbidden('Not a member of this clinic'));
    }
    return next();
  };
}
