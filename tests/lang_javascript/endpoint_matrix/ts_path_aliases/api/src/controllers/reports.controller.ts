import type { Request, Response } from 'express';
import { reports } from '#services';

export async function getReport(req: Request, res: Response) {
  res.json(await reports.find(req.params.id)); // reach: request
}

export async function createReport(req: Request, res: Response) {
  res.status(201).json(await reports.create(req.body)); // reach: request
}
