import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, UseGuards } from '@nestjs/common';
import { CurrentMembership, CurrentUser } from '../common/decorators/current-user.decorator';
import { OrgRoles } from '../common/decorators/org-roles.decorator';
import { OrgRolesGuard } from '../common/guards/org-roles.guard';
import { Membership } from './membership.entity';
import { Organization } from './organization.entity';
import { ChangeRoleDto, CreateOrgDto, InviteMemberDto, LogoFromUrlDto } from './dto/orgs.dto';
import { MemberView, OrgsService } from './orgs.service';

@Controller('orgs')
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Post()
  create(@CurrentUser('id') userId: string, @Body() dto: CreateOrgDto): Promise<Organization> {
    return this.orgs.createOrg(userId, dto.name, dto.slug, dto.billingEmail);
  }

  @Get()
  mine(@CurrentUser('id') userId: string): Promise<Organization[]> {
    return this.orgs.listForUser(userId);
  }
}

@Controller('orgs/:orgId')
@UseGuards(OrgRolesGuard)
export class OrgMembersController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  get(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<Organization> {
    return this.orgs.getOrg(orgId);
  }

  @Get('members')
  members(@Param('orgId', ParseUUIDPipe) orgId: string): Promise<MemberView[]> {
    return this.orgs.listMembers(orgId);
  }

  @OrgRoles('owner', 'admin')
  @Post('invites')
  invite(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: InviteMemberDto) {
    return this.orgs.invite(orgId, dto.email, dto.role);
  }

  @Patch('members/:membershipId')
  changeRole(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('membershipId', ParseUUIDPipe) membershipId: string,
    @Body() dto: ChangeRoleDto,
  ): Promise<Membership> {
    return this.orgs.changeRole(orgId, membershipId, dto.role);
  }

  @OrgRoles('owner')
  @HttpCode(204)
  @Delete('members/:membershipId')
  remove(
    @Param('orgId', ParseUUIDPipe) orgId: string,
    @Param('membershipId', ParseUUIDPipe) membershipId: string,
    @CurrentMembership() actor: Membership,
  ): Promise<void> {
    return this.orgs.removeMember(orgId, membershipId, actor);
  }

  @OrgRoles('owner', 'admin')
  @Post('logo')
  setLogo(@Param('orgId', ParseUUIDPipe) orgId: string, @Body() dto: LogoFromUrlDto): Promise<Organization> {
    return this.orgs.setLogoFromUrl(orgId, dto.url);
  }
}
