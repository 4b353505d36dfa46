import logger from '../logger.js';
import { HttpError } from './guards.js';

export function notFound(_req, res) {
  res.status(404).json({ error: 'not_found' });
}

// eslint-disable-next-line no-unused-vars
export function errorHandler(err, req, res, _next) {
  if (err instanceof HttpError) {
    return res.status(err.status).json({ error: err.code ?? 'error', message: err.message });
  }
  if (err.type === 'entity.too.large') {
    return res.status(413).json({ error: 'payload_too_large' });
  }
  logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
  return res.status(err.status ?? 500).json({
    error: 'internal_error',
    message: err.message,
    detail: err.detail,
    where: err.where,
  });
}
