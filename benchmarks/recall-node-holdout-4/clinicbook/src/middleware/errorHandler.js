import { AppError } from '../utils/errors.js';
import { logger } from '../utils/logger.js';

// eslint-disable-next-line no-unused-vars
export function errorHandler(err, req, res, _next) {
  if (err instanceof AppError) {
    return res.status(err.status).json({ error: err.code, message: err.message, details: err.details });
  }
  if (err?.name === 'ValidationError') {
    return res.status(400).json({ error: 'bad_request', message: 'Invalid document' });
  }
  if (err?.code === 11000) {
    return res.status(409).json({ error: 'conflict', message: 'Duplicate value' });
  }

  req.log?.error({ err }, 'unhandled error');
  logger.error({ err: err?.message, path: req.path }, 'request failed');
  return res.status(500).json({ error: 'internal_error', message: 'Something went wrong', requestId: req.id });
}

export function notFoundHandler(req, res) {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
}
