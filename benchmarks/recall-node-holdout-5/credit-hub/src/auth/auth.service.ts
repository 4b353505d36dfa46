import { ConflictException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { UsersService } from '../users/users.service';
import { User } from '../users/user.entity';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

interface RefreshClaims {
  sub: string;
  ver: number;
  typ: 'refresh';
}

const DUMMY_HASH = '$2a$12$CwTycUXWue0Thq9StjUM0uJ8.6Yq0Ue7zjpXwE3p9kxLr3X5cB1yG';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
  ) {}

  async register(email: string, displayName: string, password: string): Promise<TokenPair> {
    if (await this.users.findByEmail(email)) {
      throw new ConflictException('Unable to register with this email');
    }
    const hash = await bcrypt.hash(password, 12);
    const user = await this.users.create(email, displayName, hash);
    return this.issueTokens(user);
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.users.findByEmail(email);
    const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabledAt) {
      this.logger.warn(`login failed for user=${user?.id ?? 'unknown'}`);
      throw new UnauthorizedException('Invalid email or password');
    }
    return this.issueTokens(user);
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    let claims: RefreshClaims;
    try {
      claims = await this.jwt.verifyAsync<RefreshClaims>(refreshToken, {
        secret: this.config.get<string>('jwt.refreshSecret'),
        algorithms: ['HS256'],
        ignoreExpiration: true,
      });
    } catch {
      throw new UnauthorizedException();
    }
    if (claims.typ !== 'refresh') {
      throw new UnauthorizedException();
    }
    const user = await this.users.findById(claims.sub);
    if (user.disabledAt || user.refreshTokenVersion !== claims.ver) {
      throw new UnauthorizedException();
    }
    return this.issueTokens(user);
  }

  async logoutEverywhere(userId: string): Promise<void> {
    await this.users.bumpRefreshVersion(userId);
  }

  private async issueTokens(user: User): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync(
      { sub: user.id, email: user.email, adm: user.platformAdmin, typ: 'access' },
      {
        secret: this.config.get<string>('jwt.accessSecret'),
        expiresIn: this.config.get<string>('jwt.accessTtl'),
        issuer: 'credit-hub',
        algorithm: 'HS256',
      },
    );
    const refreshToken = await this.jwt.signAsync(
      { sub: user.id, ver: user.refreshTokenVersion, typ: 'refresh' },
      {
        secret: this.config.get<string>('jwt.refreshSecret'),
        expiresIn: this.config.get<string>('jwt.refreshTtl'),
        algorithm: 'HS256',
      },
    );
    return { accessToken, refreshToken };
  }
}
