import type { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { config } from '../config.js';
import type { Role, TokenClaims } from '../types/auth.js';

export function authenticate(req: Request, res: Response, next: NextFunction) {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) {
    return res.status(401).json({ error: 'authentication required' });
  }
  try {
    const claims = jwt.verify(header.slice('Bearer '.length), config.jwt.secret, {
      algorithms: ['HS256'],
      issuer: config.jwt.issuer,
    }) as TokenClaims;
    req.user = { id: Number(claims.sub), role: claims.role, patientId: claims.patientId };
    return next();
  } catch {
    return res.status(401).json({ error: 'invalid or expired token' });
  }
}

export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user || !roles.includes(req.user.role)) {
      return res.status(403).json({ error: 'insufficient permissions' });
    }
    return next();
  };
}

export const STAFF_ROLES: Role[] = ['doctor', 'nurse', 'billing', 'admin'];
export const CLINICAL_ROLES: Role[] = ['doctor', 'nurse'];
