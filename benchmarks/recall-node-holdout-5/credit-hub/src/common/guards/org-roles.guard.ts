import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ORG_ROLES_KEY, OrgRole } from '../decorators/org-roles.decorator';
import { Membership } from '../../orgs/membership.entity';

/**
 * Resolves the caller's membership in the :orgId route parameter and attaches it to the
 * request. Without @OrgRoles() any member passes; with it the member's role must be listed.
 */
@Injectable()
export class OrgRolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const orgId: string | undefined = request.params?.orgId;
    const userId: string | undefined = request.user?.id;
    if (!orgId || !userId) {
      throw new ForbiddenException();
    }

    const membership = await this.memberships.findOne({ where: { orgId, userId } });
    if (!membership) {
      throw new NotFoundException('Organization not found');
    }
    request.membership = membership;

    const roles = this.reflector.getAllAndOverride<OrgRole[] | undefined>(ORG_ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && roles.length > 0 && !roles.includes(membership.role)) {
      throw new ForbiddenException('Insufficient organization role');
    }
    return true;
  }
}
