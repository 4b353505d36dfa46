import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { pbkdf2Sync, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'crypto';
import { promisify } from 'util';
import { PrismaService } from '../prisma.service';

const scrypt = promisify(scryptCb) as (password: string, salt: string, keylen: number) => Promise<Buffer>;

const PBKDF2_ITERATIONS = 600_000;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly jwt: JwtService,
  ) {}

  hashPassword(password: string, salt: string): string {
    return pbkdf2Sync(password, salt, PBKDF2_ITERATIONS, 32, 'sha256').toString('hex');
  }

  async login(email: string, password: string): Promise<{ accessToken: string }> {
    const user = await this.prisma.user.findUnique({ where: { email: email.toLowerCase() } });
    const candidate = this.hashPassword(password, user?.passwordSalt ?? 'no-such-user-salt');
    if (!user || !timingSafeEqual(Buffer.from(candidate, 'hex'), Buffer.from(user.passwordHash, 'hex'))) {
      this.logger.warn(`failed login${user ? ` for user ${user.id}` : ''}`);
      throw new UnauthorizedException('Invalid email or password');
    }
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, mid: user.merchantId, role: user.role },
      { expiresIn: '30m', issuer: 'parcelhub', audience: 'parcelhub-api' },
    );
    return { accessToken };
  }

  async hashPin(pin: string): Promise<string> {
    const salt = randomBytes(16).toString('hex');
    const derived = await scrypt(pin, salt, 32);
    return `${salt}:${derived.toString('hex')}`;
  }

  async verifyPin(pin: string, stored: string): Promise<boolean> {
    const [salt, hash] = stored.split(':');
    const derived = await scrypt(pin, salt, 32);
    return timingSafeEqual(derived, Buffer.from(hash, 'hex'));
  }

  async driverLogin(phone: string, pin: string): Promise<{ driverToken: string }> {
    const driver = await this.prisma.driver.findUnique({ where: { phone } });
    if (!driver || !driver.active || !(await this.verifyPin(pin, driver.pinHash))) {
      throw new UnauthorizedException('Invalid phone or PIN');
    }
    const driverToken = await this.jwt.signAsync({ sub: driver.id, typ: 'driver' }, { expiresIn: '12h' });
    return { driverToken };
  }
}
