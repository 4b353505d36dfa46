import cors from 'cors';
import express from 'express';
import morgan from 'morgan';
import passport from './auth/passport.js';
import config from './config.js';
import { errorHandler, notFound } from './middleware/errorHandler.js';
import { sessionMiddleware } from './middleware/session.js';
import { apiRouter, partner, webhooks } from './routes/index.js';

export function createApp() {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  if (!config.isProduction) {
    app.use(morgan('dev'));
  }

  // Signature verification needs the raw body, so webhooks go before the parsers.
  app.use('/webhooks', webhooks);
  app.use('/api/partner', partner);

  app.use(express.json({ limit: '50kb' }));
  app.use(express.urlencoded({ extended: false, limit: '20kb' }));
  app.use(cors({ origin: config.widgetOrigins, credentials: true }));
  app.use(sessionMiddleware());
  app.use(passport.initialize());
  app.use(passport.session());

  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.use('/api', apiRouter());

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
