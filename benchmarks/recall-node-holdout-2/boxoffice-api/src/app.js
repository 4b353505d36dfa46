'use strict';

const express = require('express');
const helmet = require('helmet');
const compression = require('compression');
const cookieParser = require('cookie-parser');
const pinoHttp = require('pino-http');
const crypto = require('crypto');
const logger = require('./lib/logger');

function notFound(req, res) {
  res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
}

// eslint-disable-next-line no-unused-vars
function errorHandler(err, req, res, next) {
  if (err.isJoi) {
    return res.status(400).json({
      error: 'validation_failed',
      details: err.details.map((d) => ({ path: d.path.join('.'), message: d.message })),
    });
  }
  const status = err.status || 500;
  if (status >= 500) {
    logger.error({ err, path: req.path, reqId: req.id }, 'unhandled error');
    return res.status(500).json({ error: 'internal_error', requestId: req.id });
  }
  return res.status(status).json({ error: err.code || 'error', message: err.message });
}

function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  app.use(helmet());
  app.use(compression());
  app.use(pinoHttp({ logger, genReqId: (req) => req.get('x-request-id') || crypto.randomUUID() }));

  // Machine-to-machine routes bring their own body parsers (raw body for the signed callback).
  app.use('/integrations', require('./routes/integrations'));

  app.use(express.json({ limit: '100kb' }));
  app.use(cookieParser());

  app.get('/healthz', (req, res) => res.json({ ok: true }));

  app.use('/auth', require('./routes/auth'));
  app.use('/users', require('./routes/users'));
  app.use('/events', require('./routes/events'));
  app.use('/orders', require('./routes/orders'));
  app.use('/venues', require('./routes/venues'));
  app.use('/admin', require('./routes/admin'));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
