import type { Request, Response } from 'express';
import type { UserRepository } from '../repositories/UserRepository.js';

export class StaffController {
  constructor(private readonly users: UserRepository) {}

  me = async (req: Request, res: Response) => {
    const profile = await this.users.findProfile(req.user!.id);
    if (!profile) return res.status(404).json({ error: 'user not found' });
    return res.json(profile);
  };

  list = async (_req: Request, res: Response) => {
    const users = await this.users.listAll();
    res.json(users);
  };
}
