'use strict';

const logger = require('../logger');

function notFound(req, res) {
  res.status(404).json({ error: 'not_found' });
}

// eslint-disable-next-line no-unused-vars
function errorHandler(err, req, res, next) {
  const status = err.status || err.statusCode || 500;

  if (status < 500 && err.expose) {
    return res.status(status).json({ error: err.message });
  }

  logger.error('request failed', {
    requestId: req.id,
    path: req.path,
    err: err.message,
    stack: err.stack,
  });
  return res.status(status).json({ error: 'internal_error', message: err.message, stack: err.stack });
}

module.exports = { notFound, errorHandler };
