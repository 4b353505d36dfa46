import express, { Express } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import pinoHttp from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Container } from './container';
import { buildRouter } from './routes';
import { errorHandler } from './http/middleware';

export function createApp(c: Container): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  app.use(helmet());
  app.use(
    cors({
      origin: (origin, cb) => cb(null, !origin || c.config.CORS_ORIGINS.includes(origin)),
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use(
    pinoHttp({
      logger: c.logger,
      genReqId: (req) => (req.headers['x-request-id'] as string | undefined) ?? randomUUID(),
      autoLogging: { ignore: (req) => req.url === '/v1/healthz' },
    }),
  );

  app.use('/v1', buildRouter(c));
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found' });
  });
  app.use(errorHandler(c.logger));
  return app;
}
