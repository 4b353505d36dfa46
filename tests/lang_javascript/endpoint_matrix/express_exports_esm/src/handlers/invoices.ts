import type { Request, Response } from 'express';
import { invoiceRepo } from '../repo';

export async function list(req: Request, res: Response): Promise<void> {
  res.json(await invoiceRepo.all(Number(req.query.page))); // reach: request
}

export async function remove(req: Request, res: Response): Promise<void> {
  await invoiceRepo.delete(req.params.id); // reach: request
  res.sendStatus(204);
}
