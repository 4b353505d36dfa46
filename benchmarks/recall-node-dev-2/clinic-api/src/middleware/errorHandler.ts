import type { NextFunction, Request, Response } from 'express';
import { ZodError } from 'zod';
import { logger } from '../logger.js';
import { HttpError } from '../utils/httpError.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  if (err instanceof HttpError) {
    return res.status(err.status).json({ error: err.message });
  }
  if (err instanceof ZodError) {
    return res.status(400).json({ error: 'validation failed', issues: err.issues });
  }
  logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
  return res.status(500).json({ error: 'internal server error' });
}
