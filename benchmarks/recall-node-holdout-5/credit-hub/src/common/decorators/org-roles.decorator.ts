import { SetMetadata } from '@nestjs/common';

export type OrgRole = 'owner' | 'admin' | 'billing' | 'developer' | 'viewer';

export const ORG_ROLES_KEY = 'orgRoles';
export const OrgRoles = (...roles: OrgRole[]) => SetMetadata(ORG_ROLES_KEY, roles);

export const PLATFORM_ADMIN_KEY = 'platformAdmin';
export const PlatformAdmin = () => SetMetadata(PLATFORM_ADMIN_KEY, true);
