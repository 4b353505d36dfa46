import { Request, Response } from 'express';
import { writeFile } from 'fs/promises';

export default async function (req: Request, res: Response) {
  await writeFile(`/tmp/${req.body.name}`, req.body.data); // reach: request
  res.sendStatus(201);
}
