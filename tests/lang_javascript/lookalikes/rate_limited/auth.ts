import { Router, Request, Response } from 'express';
import rateLimit from 'express-rate-limit';

const limiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
export const auth = Router();

auth.post('/signin', limiter, async (req: Request, res: Response) => { // ok: auth-brute-force
  res.json({ ok: true });
});
