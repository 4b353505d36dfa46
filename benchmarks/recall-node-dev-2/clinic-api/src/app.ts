import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import { pool } from './db.js';
import { errorHandler } from './middleware/errorHandler.js';
import { publicLimiter } from './middleware/rateLimits.js';
import {
  appointmentRoutes,
  authRoutes,
  invoiceRoutes,
  labResultRoutes,
  patientRoutes,
  publicRoutes,
  staffRoutes,
} from './routes/index.js';

export function createApp() {
  const app = express();

  app.disable('x-powered-by');
  app.set('trust proxy', 1);
  app.use(helmet());
  app.use(express.json({ limit: '64kb' }));

  app.get('/health', async (_req, res) => {
    try {
      await pool.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  // Clinic locator widget embedded on partner sites: anonymous, read-only.
  app.use('/api/v1/public', cors({ origin: '*' }), publicLimiter, publicRoutes());

  app.use(cors({ origin: true, credentials: true }));

  app.use('/api/v1/auth', authRoutes());
  app.use('/api/v1/patients', patientRoutes());
  app.use('/api/v1/appointments', appointmentRoutes());
  app.use('/api/v1/invoices', invoiceRoutes());
  app.use('/api/v1/lab-results', labResultRoutes());
  app.use('/api/v1/staff', staffRoutes());

  app.use((_req, res) => res.status(404).json({ error: 'not found' }));
  app.use(errorHandler);
  return app;
}
