import type { Request, Response } from 'express';

export const listTags = (req: Request, res: Response) => {
  res.json(['a', 'b']); // reach: request
};
