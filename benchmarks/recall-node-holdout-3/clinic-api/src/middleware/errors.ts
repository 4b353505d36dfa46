import { NextFunction, Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { ZodError } from 'zod';
import { logger } from '../logger';

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    message: string,
    public readonly code?: string,
  ) {
    super(message);
  }
}

export function notFound(_req: Request, res: Response) {
  res.status(404).json({ error: 'not_found' });
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  if (err instanceof HttpError) {
    return res.status(err.status).json({ error: err.code ?? 'request_failed', message: err.message });
  }
  if (err instanceof ZodError) {
    return res.status(400).json({ error: 'validation_failed', issues: err.issues });
  }
  if (err instanceof QueryFailedError && (err as { code?: string }).code === '23505') {
    return res.status(409).json({ error: 'conflict' });
  }
  logger.error({ err, path: req.path, method: req.method }, 'unhandled error');
  return res.status(500).json({ error: 'internal_error' });
}

/** Wraps an async route handler so rejections reach the error middleware. */
export function asyncHandler<T extends Request>(
  fn: (req: T, res: Response, next: NextFunction) => Promise<unknown>,
) {
  return (req: T, res: Response, next: NextFunction) => {
    fn(req, res, next).catch(next);
  };
}
