import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role, ROLES_KEY } from '../decorators/roles.decorator';
import { AuthUser } from '../decorators/current-user.decorator';

const RANK: Record<Role, number> = { viewer: 0, picker: 1, supervisor: 2, admin: 3 };

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.get<Role[]>(ROLES_KEY, context.getHandler());
    if (!required || required.length === 0) {
      return true;
    }
    const user: AuthUser | undefined = context.switchToHttp().getRequest().user;
    if (!user) {
      throw new ForbiddenException();
    }
    const minRank = Math.min(...required.map((r) => RANK[r]));
    if (RANK[user.role] < minRank) {
      throw new ForbiddenException('Insufficient role');
    }
    return true;
  }
}
