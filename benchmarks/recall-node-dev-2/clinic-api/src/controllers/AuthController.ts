import type { Request, Response } from 'express';
import type { AuthService } from '../services/AuthService.js';

export class AuthController {
  constructor(private readonly auth: AuthService) {}

  staffLogin = async (req: Request, res: Response) => {
    const { email, password } = req.body as { email: string; password: string };
    res.json(await this.auth.staffLogin(email, password));
  };

  acceptInvite = async (req: Request, res: Response) => {
    const { token, password } = req.body as { token: string; password: string };
    await this.auth.acceptInvite(token, password);
    res.status(204).end();
  };

  requestPatientCode = async (req: Request, res: Response) => {
    await this.auth.requestPatientCode(req.body.phone);
    res.status(202).json({ status: 'if this number is registered, a code has been sent' });
  };

  verifyPatientCode = async (req: Request, res: Response) => {
    const { phone, code } = req.body as { phone: string; code: string };
    res.json(await this.auth.verifyPatientCode(phone, code));
  };
}
