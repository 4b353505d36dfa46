import cookieParser from 'cookie-parser';
import cors from 'cors';
import express, { Express } from 'express';
import { AppConfig } from './config';
import { Container } from './container';
import { logger } from './logger';
import { errorHandler, notFound } from './middleware/errors';
import { buildRouters } from './routes';

export function createApp(container: Container, cfg: AppConfig): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  const routers = buildRouters(container, cfg);

  // Raw body for signature checks, so this goes before the JSON parser.
  app.use('/webhooks', routers.webhooks);

  app.use(express.json({ limit: '256kb' }));
  app.use(cookieParser());

  app.use('/portal', routers.portal);

  app.use(cors({ origin: cfg.cors.origins, credentials: true }));
  app.use('/api/v1', routers.api);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  if (cfg.env === 'development') {
    app.get('/debug/config', (_req, res) => {
      res.json({ env: cfg.env, port: cfg.port, corsOrigins: cfg.cors.origins });
    });
    logger.debug('development routes enabled');
  }

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
