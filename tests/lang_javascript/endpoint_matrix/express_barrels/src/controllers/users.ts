import type { Request, Response } from 'express';

export async function list(req: Request, res: Response) {
  res.json([{ id: 1 }]); // reach: request
}
