import { IsEmail, IsIn, IsString, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { OrgRole } from '../../common/decorators/org-roles.decorator';

const ROLES: OrgRole[] = ['owner', 'admin', 'billing', 'developer', 'viewer'];

export class CreateOrgDto {
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/)
  slug: string;

  @IsEmail()
  billingEmail: string;
}

export class InviteMemberDto {
  @IsEmail()
  email: string;

  @IsIn(ROLES.filter((r) => r !== 'owner'))
  role: OrgRole;
}

export class ChangeRoleDto {
  @IsIn(ROLES)
  role: OrgRole;
}

export class LogoFromUrlDto {
  @IsUrl({ require_protocol: true })
  @MaxLength(2048)
  url: string;
}

export class AcceptInviteDto {
  @IsString()
  @MaxLength(128)
  token: string;
}
