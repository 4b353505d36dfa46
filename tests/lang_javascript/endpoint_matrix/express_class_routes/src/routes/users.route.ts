import { Router } from 'express';
import { UsersController } from '../controllers/users.controller';
import { Routes } from './routes.interface';
import { authMiddleware } from '../middlewares/auth';

export class UsersRoute implements Routes {
  public path = '/users';
  public router = Router();
  public users = new UsersController();

  constructor() {
    this.initializeRoutes();
  }

  private initializeRoutes() {
    this.router.get(`${this.path}`, this.users.getUsers);
    this.router.get(`${this.path}/:id`, authMiddleware, this.users.getUserById);
    this.router.delete(`${this.path}/:id`, authMiddleware, this.users.deleteUser);
  }
}
