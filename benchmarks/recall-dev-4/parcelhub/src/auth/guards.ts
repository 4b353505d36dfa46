import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UserRole } from '@prisma/client';
import { decodeJwt } from 'jose';
import { IS_PUBLIC_KEY, ROLES_KEY } from './decorators';

/** Registered as APP_GUARD: every route needs a merchant/staff JWT unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) {
      return true;
    }
    return super.canActivate(context);
  }
}

/** Registered as APP_GUARD after JwtAuthGuard. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.get<UserRole[]>(ROLES_KEY, context.getHandler());
    if (!required || required.length === 0) {
      return true;
    }
    const user = context.switchToHttp().getRequest().user;
    if (!user || !required.includes(user.role)) {
      throw new ForbiddenException('Insufficient role');
    }
    return true;
  }
}

/**
 * Driver app tokens are issued by the driver gateway (which checks the signature
 * before forwarding); here we only read the claims.
 */
@Injectable()
export class DriverTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    const header: string = req.headers['authorization'] ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) {
      throw new UnauthorizedException();
    }
    const claims = decodeJwt(token);
    if (claims.typ !== 'driver' || typeof claims.sub !== 'string') {
      throw new UnauthorizedException();
    }
    if (claims.exp && claims.exp * 1000 < Date.now()) {
      throw new UnauthorizedException('Token expired');
    }
    req.driver = { driverId: claims.sub };
    return true;
  }
}
