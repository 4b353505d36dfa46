import { Request, Response } from 'express';
import { AppConfig } from '../config';
import { toPublicUser } from '../entities/User';
import { PORTAL_COOKIE, currentUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { AuthService } from '../services/AuthService';
import { Mailer } from '../services/Mailer';

export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly mailer: Mailer,
    private readonly cfg: AppConfig,
  ) {}

  login = async (req: Request, res: Response) => {
    const { token, user } = await this.auth.login(req.body.email, req.body.password);
    if (user.role === 'patient') {
      throw new HttpError(401, 'invalid credentials', 'invalid_credentials');
    }
    res.json({ token, user: toPublicUser(user) });
  };

  portalLogin = async (req: Request, res: Response) => {
    const { user } = await this.auth.login(req.body.email, req.body.password);
    if (user.role !== 'patient') {
      throw new HttpError(401, 'invalid credentials', 'invalid_credentials');
    }
    res.cookie(PORTAL_COOKIE, this.auth.issuePortalToken(user), {
      // The portal runs inside the clinics' own sites, so the cookie is cross-site.
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      path: '/',
    });
    res.json({ user: toPublicUser(user) });
  };

  requestReset = async (req: Request, res: Response) => {
    const baseUrl = this.cfg.env === 'production' ? 'https://app.clinic.example' : `${req.protocol}://${req.get('host')}`;
    const resetUrl = await this.auth.requestPasswordReset(req.body.email, baseUrl);
    if (resetUrl) {
      await this.mailer.sendPasswordReset(req.body.email, resetUrl);
    }
    // Always 202 so the endpoint cannot be used to probe for accounts.
    res.status(202).json({ status: 'if the address is registered, a link has been sent' });
  };

  confirmReset = async (req: Request, res: Response) => {
    await this.auth.confirmPasswordReset(req.body.token, req.body.password);
    res.status(204).end();
  };

  invite = async (req: Request, res: Response) => {
    const admin = currentUser(req);
    const { user, inviteToken } = await this.auth.invite(req.body.email, req.body.role, admin.clinicId);
    await this.mailer.sendInvite(user.email, inviteToken);
    res.status(201).json(toPublicUser(user));
  };

  changeRole = async (req: Request, res: Response) => {
    const admin = currentUser(req);
    if (req.params.userId === admin.id) {
      throw new HttpError(422, 'admins cannot change their own role');
    }
    const user = await this.auth.changeRole(req.params.userId, admin.clinicId, req.body.role);
    res.json(toPublicUser(user));
  };

  listUsers = async (req: Request, res: Response) => {
    const admin = currentUser(req);
    const limit = Number(req.query.limit ?? 50) || 50;
    const offset = Number(req.query.offset ?? 0) || 0;
    const users = await this.auth.listUsers(admin.clinicId, limit, offset);
    res.json({ items: users.map(toPublicUser), limit, offset });
  };
}
