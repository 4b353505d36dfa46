import { Request, Response, Router } from 'express';

export interface RouteOptions {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  handler: (req: Request, res: Response) => Promise<void>;
  permission?: string;
}

export default class Controller {
  router: Router = Router();

  route(options: RouteOptions): void {
    this.router[options.method](options.path, options.handler.bind(this));
  }
}
