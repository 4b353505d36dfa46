import { NextFunction, Request, Response, Router } from 'express';
import { readFile } from 'fs/promises';

export const files = Router();

function rawFile(req: Request, res: Response, next: NextFunction) {
  readFile(`/srv/files/${req.params.name}`) // reach: request
    .then((data) => res.type('application/octet-stream').send(data))
    .catch((err) => next(err));
}

function timing(req: Request, res: Response, next: NextFunction) {
  const started = Date.now(); // reach: request
  res.on('finish', () => console.info(req.path, Date.now() - started));
  next();
}

function unused(req: Request, res: Response) {
  res.send('never mounted'); // reach: none
}

files.use(timing);
files.use('/raw/:name', rawFile);
files.get('/:name', (req: Request, res: Response) => {
  res.json({ name: req.params.name });
});
