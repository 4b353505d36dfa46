import { Request, Response } from 'express';
import Controller from './controller';

const prefix = '/projects';

export class ProjectController extends Controller {
  constructor(private readonly store: Map<string, { archived: boolean }>) {
    super();
    this.route({ method: 'get', path: prefix, handler: this.list, permission: 'NONE' });
    this.route({ method: 'post', path: `${prefix}/:id/archive`, handler: this.archive, permission: 'ADMIN' });
  }

  async list(req: Request, res: Response): Promise<void> {
    res.json([...this.store.keys()]); // reach: request
  }

  async archive(req: Request, res: Response): Promise<void> {
    this.store.set(req.params.id, { archived: true }); // reach: request
    res.sendStatus(204);
  }

  async unused(req: Request, res: Response): Promise<void> {
    res.sendStatus(410); // reach: none
  }
}
