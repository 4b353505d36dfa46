import { Request, Response } from 'express';
import { profiles } from '../repo';

export function show(req: Request, res: Response) {
  res.json(profiles.find(req.params.id)); // reach: request
}

export const update = async (req: Request, res: Response) => {
  res.json(await profiles.update(req.params.id, req.body)); // reach: request
};

export function exportedButUnrouted(req: Request, res: Response) {
  res.json(profiles.find('x')); // reach: none
}
