import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ConfigService } from '@nestjs/config';
import { Request } from 'express';
import { IS_PUBLIC_KEY } from '../decorators/public.decorator';
import { AuthUser } from '../decorators/current-user.decorator';

interface AccessClaims {
  sub: string;
  email: string;
  adm?: boolean;
  typ: 'access';
}

@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly config: ConfigService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }

    const request = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const token = this.extractBearer(request);
    if (!token) {
      throw new UnauthorizedException();
    }
    try {
      const claims = await this.jwt.verifyAsync<AccessClaims>(token, {
        secret: this.config.get<string>('jwt.accessSecret'),
        algorithms: ['HS256'],
        issuer: 'credit-hub',
      });
      if (claims.typ !== 'access') {
        throw new UnauthorizedException();
      }
      request.user = { id: claims.sub, email: claims.email, platformAdmin: claims.adm === true };
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }

  private extractBearer(request: Request): string | undefined {
    const [scheme, value] = (request.headers.authorization ?? '').split(' ');
    return scheme === 'Bearer' && value ? value : undefined;
  }
}
