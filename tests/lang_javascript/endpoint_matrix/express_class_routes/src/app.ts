import express from 'express';
import { Routes } from './routes/routes.interface';
import { errorMiddleware } from './middlewares/error';

export class App {
  public app: express.Application;

  constructor(routes: Routes[]) {
    this.app = express();
    this.app.use(express.json());
    routes.forEach((route) => this.app.use('/', route.router));
    this.app.use(errorMiddleware);
  }

  public listen() {
    this.app.listen(3000);
  }
}
