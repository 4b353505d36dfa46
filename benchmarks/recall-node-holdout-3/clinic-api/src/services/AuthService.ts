import bcrypt from 'bcryptjs';
import { createHash, randomBytes } from 'crypto';
import jwt from 'jsonwebtoken';
import { DataSource, MoreThan, Repository } from 'typeorm';
import { AppConfig } from '../config';
import { Role, User } from '../entities/User';
import { logger } from '../logger';
import { HttpError } from '../middleware/errors';

const BCRYPT_ROUNDS = 12;
const RESET_TTL_MS = 30 * 60 * 1000;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export class AuthService {
  private readonly users: Repository<User>;

  constructor(
    dataSource: DataSource,
    private readonly cfg: AppConfig,
  ) {
    this.users = dataSource.getRepository(User);
  }

  async login(email: string, password: string): Promise<{ token: string; user: User }> {
    const user = await this.users
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .getOne();

    // Same answer for unknown e-mail and wrong password.
    const ok = user?.active ? await bcrypt.compare(password, user.passwordHash) : false;
    if (!user || !ok) {
      throw new HttpError(401, 'invalid credentials', 'invalid_credentials');
    }
    return { token: this.issueStaffToken(user), user };
  }

  issueStaffToken(user: User): string {
    return jwt.sign(
      { role: user.role, clinic: user.clinicId },
      this.cfg.jwt.secret,
      {
        algorithm: 'HS256',
        subject: user.id,
        issuer: this.cfg.jwt.issuer,
        expiresIn: this.cfg.jwt.ttlSeconds,
      },
    );
  }

  /** Portal sessions live in an HttpOnly cookie set by the controller. */
  issuePortalToken(user: User): string {
    return jwt.sign(
      { role: 'patient', clinic: user.clinicId, patient: user.patientId },
      this.cfg.jwt.secret,
      { algorithm: 'HS256', subject: user.id, issuer: this.cfg.jwt.issuer },
    );
  }

  async hashPassword(password: string): Promise<string> {
    return bcrypt.hash(password, BCRYPT_ROUNDS);
  }

  async requestPasswordReset(email: string, baseUrl: string): Promise<string | null> {
    const user = await this.users.findOneBy({ email, active: true });
    if (!user) {
      return null;
    }
    const token = Math.random().toString(36).slice(2) + Date.now().toString(36);
    user.resetTokenHash = sha256(token);
    user.resetTokenExpiresAt = new Date(Date.now() + RESET_TTL_MS);
    await this.users.save(user);
    const resetUrl = `${baseUrl}/reset-password?token=${token}`;
    logger.info({ userId: user.id, resetUrl }, 'password reset issued');
    return resetUrl;
  }

  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const user = await this.users.findOneBy({
      resetTokenHash: sha256(token),
      resetTokenExpiresAt: MoreThan(new Date()),
    });
    if (!user) {
      throw new HttpError(400, 'reset link is invalid or has expired', 'invalid_token');
    }
    user.passwordHash = await this.hashPassword(password);
    user.resetTokenHash = null;
    user.resetTokenExpiresAt = null;
    await this.users.save(user);
  }

  async invite(email: string, role: Role, clinicId: string): Promise<{ user: User; inviteToken: string }> {
    const inviteToken = randomBytes(32).toString('base64url');
    const user = this.users.create({
      email,
      role,
      clinicId,
      active: true,
      passwordHash: await this.hashPassword(inviteToken),
      resetTokenHash: sha256(inviteToken),
      resetTokenExpiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
    });
    await this.users.save(user);
    return { user, inviteToken };
  }

  async changeRole(userId: string, clinicId: string, role: Role): Promise<User> {
    const user = await this.users.findOneBy({ id: userId, clinicId });
    if (!user) {
      throw new HttpError(404, 'user not found');
    }
    user.role = role;
    return this.users.save(user);
  }

  listUsers(clinicId: string, limit: number, offset: number): Promise<User[]> {
    return this.users.find({
      where: { clinicId },
      order: { createdAt: 'DESC' },
      take: Math.min(limit, 200),
      skip: offset,
    });
  }
}
