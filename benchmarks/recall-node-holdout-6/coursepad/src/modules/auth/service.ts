import { SignJWT } from 'jose';
import type { PrismaClient, User } from '@prisma/client';
import { config } from '../../config.js';
import { DUMMY_HASH, hashPassword, hashToken, newRefreshToken, newResetCode, verifyPassword } from '../../lib/tokens.js';
import { Unauthorized, Conflict } from '../../lib/errors.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  refreshExpiresAt: Date;
}

export class AuthService {
  constructor(private readonly prisma: PrismaClient) {}

  async register(input: { email: string; password: string; name: string }) {
    const email = input.email.toLowerCase();
    const existing = await this.prisma.user.findUnique({ where: { email }, select: { id: true } });
    if (existing) throw new Conflict('email already registered', 'EMAIL_TAKEN');
    return this.prisma.user.create({
      data: { email, name: input.name, passwordHash: await hashPassword(input.password), role: 'STUDENT' },
      select: { id: true, email: true, name: true, role: true },
    });
  }

  async login(emailRaw: string, password: string): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { email: emailRaw.toLowerCase() } });
    const ok = verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new Unauthorized('invalid email or password');
    return user;
  }

  async issueTokens(user: Pick<User, 'id' | 'email' | 'role'>): Promise<IssuedTokens> {
    const accessToken = await new SignJWT({ role: user.role, email: user.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(config.jwt.issuer)
      .setAudience(config.jwt.audience)
      .setIssuedAt()
      .setExpirationTime(config.jwt.accessTtl)
      .sign(config.jwt.secret);
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(Date.now() + config.jwt.refreshTtlDays * 86_400_000);
    await this.prisma.refreshSession.create({
      data: { userId: user.id, tokenHash: hashToken(refreshToken), expiresAt: refreshExpiresAt },
    });
    return { accessToken, refreshToken, refreshExpiresAt };
  }

  async rotateRefresh(refreshToken: string): Promise<IssuedTokens> {
    const session = await this.prisma.refreshSession.findUnique({
      where: { tokenHash: hashToken(refreshToken) },
      include: { user: { select: { id: true, email: true, role: true } } },
    });
    if (!session || session.revokedAt || session.expiresAt < new Date()) {
      throw new Unauthorized('invalid refresh token');
    }
    const revoked = await this.prisma.refreshSession.updateMany({
      where: { id: session.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (revoked.count === 0) throw new Unauthorized('invalid refresh token');
    return this.issueTokens(session.user);
  }

  async createPasswordReset(emailRaw: string): Promise<{ resetId: string; userId: string; code: string } | null> {
    const user = await this.prisma.user.findUnique({ where: { email: emailRaw.toLowerCase() }, select: { id: true } });
    if (!user) return null;
    const code = newResetCode();
    const reset = await this.prisma.passwordReset.create({
      data: { userId: user.id, code: hashToken(code), expiresAt: new Date(Date.now() + 15 * 60_000) },
    });
    return { resetId: reset.id, userId: user.id, code };
  }

  async confirmPasswordReset(emailRaw: string, code: string, newPassword: string): Promise<boolean> {
    const user = await this.prisma.user.findUnique({ where: { email: emailRaw.toLowerCase() }, select: { id: true } });
    if (!user) return false;
    const reset = await this.prisma.passwordReset.findFirst({
      where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() }, attempts: { lt: 5 } },
      orderBy: { expiresAt: 'desc' },
    });
    if (!reset) return false;
    const counted = await this.prisma.passwordReset.updateMany({
      where: { id: reset.id, attempts: { lt: 5 } },
      data: { attempts: { increment: 1 } },
    });
    if (counted.count === 0) return false;
    if (reset.code !== hashToken(code)) return false;
    await this.prisma.$transaction([
      this.prisma.passwordReset.update({ where: { id: reset.id }, data: { usedAt: new Date() } }),
      this.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(newPassword) } }),
      this.prisma.refreshSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } }),
    ]);
    return true;
  }
}
