import type { NextFunction, Request, Response } from 'express';

export function loadOrder(req: Request, res: Response, next: NextFunction, orderId: string) {
  (req as any).order = { id: orderId }; // reach: request
  next();
}

export function showOrder(req: Request, res: Response) {
  res.json((req as any).order); // reach: request
}
