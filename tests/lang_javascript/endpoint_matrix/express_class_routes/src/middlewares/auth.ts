import { NextFunction, Request, Response } from 'express';
import { verify } from 'jsonwebtoken';

export const authMiddleware = (req: Request, res: Response, next: NextFunction) => {
  const token = req.header('Authorization')?.split('Bearer ')[1];
  if (!token) {
    return res.status(401).json({ message: 'missing token' }); // reach: request
  }
  (req as any).user = verify(token, process.env.SECRET_KEY as string);
  next();
};
