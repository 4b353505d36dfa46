import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLES } from './public.decorator';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const wanted = this.reflector.get<string[]>(ROLES, context.getHandler()) || [];
    const { user } = context.switchToHttp().getRequest();
    if (!user || !wanted.includes(user.role)) {
      throw new ForbiddenException('insufficient role');
    }
    return true;
  }
}
