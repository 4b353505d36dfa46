// Correct code that looks like the flawed fixtures: every rule must stay silent here.
import { Request, Response, NextFunction } from 'express';
import crypto from 'crypto';
import jwt from 'jsonwebtoken';

export function requireUser(req: Request, res: Response, next: NextFunction): void {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) {
    res.status(401).json({ error: 'unauthenticated' });
    return;
  }
  try {
    res.locals.user = jwt.verify(header.slice(7), process.env.JWT_SECRET as string, { algorithms: ['HS256'] });
    next();
  } catch {
    res.status(401).json({ error: 'unauthenticated' });
  }
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
