import type { Request, Response } from 'express';
import type { NoteService } from '../services/notes';

export class NoteController {
  constructor(private readonly notes: NoteService) {}

  get = async (req: Request, res: Response) => {
    res.json(await this.notes.get(req.params.id)); // reach: request
  };

  // named like Python's dict.update and set.add: still this class's own methods
  update = async (req: Request, res: Response) => {
    res.json(await this.notes.update(req.params.id, req.body)); // reach: request
  };

  add = async (req: Request, res: Response) => {
    res.json(await this.notes.add(req.params.id, req.body.label)); // reach: request
  };
}
