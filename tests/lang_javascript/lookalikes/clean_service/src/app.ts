import express, { Request, Response, NextFunction } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import rateLimit from 'express-rate-limit';
import session from 'express-session';
import { orders } from './routes/orders';

const app = express();
app.use(helmet());
app.use(express.json());
app.use(cors({ origin: (process.env.ALLOWED_ORIGINS ?? '').split(','), credentials: true }));
app.use(session({ secret: process.env.SESSION_SECRET as string, cookie: { secure: true, httpOnly: true, sameSite: 'lax' } }));
app.use('/auth', rateLimit({ windowMs: 60_000, limit: 10 }));
app.use('/api', orders);

app.post('/auth/login', async (req: Request, res: Response) => {
  console.log('login attempt', { at: new Date().toISOString() });
  res.cookie('session', 'opaque-id', { secure: true, httpOnly: true, sameSite: 'lax' });
  res.json({ ok: true });
});

app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
  console.error(err.stack);
  res.status(500).json({ error: 'Internal server error' });
});

export default app;
