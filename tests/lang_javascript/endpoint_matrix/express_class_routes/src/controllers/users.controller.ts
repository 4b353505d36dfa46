import { NextFunction, Request, Response } from 'express';

export class UsersController {
  public getUsers = async (req: Request, res: Response) => {
    res.json({ data: [] }); // reach: request
  };

  public getUserById = async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.json({ data: { id: req.params.id } }); // reach: request
    } catch (error) {
      next(error);
    }
  };

  public deleteUser = async (req: Request, res: Response) => {
    res.json({ deleted: req.params.id }); // reach: request
  };
}
