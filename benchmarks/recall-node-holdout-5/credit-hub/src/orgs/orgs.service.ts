import { BadRequestException, ForbiddenException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { InjectRepository } from '@nestjs/typeorm';
import { ConfigService } from '@nestjs/config';
import { DataSource, Repository } from 'typeorm';
import { createHash, randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { firstValueFrom } from 'rxjs';
import { Organization } from './organization.entity';
import { Membership } from './membership.entity';
import { Invite } from './invite.entity';
import { Wallet } from '../wallet/wallet.entity';
import { OrgRole } from '../common/decorators/org-roles.decorator';

export interface MemberView {
  membershipId: string;
  userId: string;
  email: string;
  displayName: string;
  role: OrgRole;
  joinedAt: Date;
}

const LOGO_MAX_BYTES = 512 * 1024;

@Injectable()
export class OrgsService {
  private readonly logger = new Logger(OrgsService.name);

  constructor(
    @InjectRepository(Organization) private readonly orgs: Repository<Organization>,
    @InjectRepository(Membership) private readonly memberships: Repository<Membership>,
    @InjectRepository(Invite) private readonly invites: Repository<Invite>,
    @InjectRepository(Wallet) private readonly wallets: Repository<Wallet>,
    private readonly dataSource: DataSource,
    private readonly http: HttpService,
    private readonly config: ConfigService,
  ) {}

  async createOrg(ownerId: string, name: string, slug: string, billingEmail: string): Promise<Organization> {
    const org = await this.orgs.save(this.orgs.create({ name, slug, billingEmail }));
    await this.memberships.save(this.memberships.create({ orgId: org.id, userId: ownerId, role: 'owner' }));
    await this.wallets.save(this.wallets.create({ orgId: org.id, balanceCents: 0, currency: org.currency }));
    return org;
  }

  listForUser(userId: string): Promise<Organization[]> {
    return this.orgs
      .createQueryBuilder('o')
      .innerJoin(Membership, 'm', 'm.org_id = o.id AND m.user_id = :userId', { userId })
      .orderBy('o.name', 'ASC')
      .take(100)
      .getMany();
  }

  async getOrg(orgId: string): Promise<Organization> {
    const org = await this.orgs.findOne({ where: { id: orgId } });
    if (!org) {
      throw new NotFoundException('Organization not found');
    }
    return org;
  }

  async listMembers(orgId: string): Promise<MemberView[]> {
    const rows = await this.dataSource.query(
      `SELECT m.id AS membership_id, m.role, m.created_at AS joined_at, u.*
         FROM memberships m
         JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1
        ORDER BY m.created_at
        LIMIT 500`,
      [orgId],
    );
    return rows;
  }

  async changeRole(orgId: string, membershipId: string, role: OrgRole): Promise<Membership> {
    const membership = await this.memberships.findOne({ where: { id: membershipId, orgId } });
    if (!membership) {
      throw new NotFoundException('Member not found');
    }
    membership.role = role;
    return this.memberships.save(membership);
  }

  async removeMember(orgId: string, membershipId: string, actor: Membership): Promise<void> {
    if (actor.id === membershipId) {
      throw new BadRequestException('Use leave instead of removing yourself');
    }
    const result = await this.memberships.delete({ id: membershipId, orgId });
    if (!result.affected) {
      throw new NotFoundException('Member not found');
    }
  }

  async invite(orgId: string, email: string, role: OrgRole): Promise<{ inviteId: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    const invite = await this.invites.save(
      this.invites.create({
        orgId,
        email: email.toLowerCase(),
        role,
        tokenHash: createHash('sha256').update(token).digest('hex'),
        expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000),
      }),
    );
    return { inviteId: invite.id, token };
  }

  async previewInvite(token: string): Promise<{ orgName: string; role: OrgRole; expiresAt: Date }> {
    const tokenHash = createHash('sha256').update(token).digest('hex');
    const invite = await this.invites.findOne({ where: { tokenHash } });
    if (!invite || invite.acceptedAt || invite.expiresAt < new Date()) {
      throw new NotFoundException('Invite not found or expired');
    }
    const org = await this.getOrg(invite.orgId);
    return { orgName: org.name, role: invite.role, expiresAt: invite.expiresAt };
  }

  async acceptInvite(userId: string, userEmail: string, token: string): Promise<Membership> {
    const tokenHash = createHash('sha256').update(token).digest('hex');
    return this.dataSource.transaction(async (manager) => {
      const invite = await manager.findOne(Invite, {
        where: { tokenHash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invite || invite.acceptedAt || invite.expiresAt < new Date()) {
        throw new NotFoundException('Invite not found or expired');
      }
      if (invite.email !== userEmail.toLowerCase()) {
        throw new ForbiddenException('Invite was issued to a different email');
      }
      invite.acceptedAt = new Date();
      await manager.save(invite);
      return manager.save(manager.create(Membership, { orgId: invite.orgId, userId, role: invite.role }));
    });
  }

  async revokeInvite(inviteId: string): Promise<void> {
    await this.invites.delete({ id: inviteId });
  }

  async setLogoFromUrl(orgId: string, url: string): Promise<Organization> {
    const org = await this.getOrg(orgId);
    const response = await firstValueFrom(
      this.http.get<ArrayBuffer>(url, { responseType: 'arraybuffer', maxContentLength: LOGO_MAX_BYTES }),
    );
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.startsWith('image/')) {
      throw new BadRequestException('URL did not return an image');
    }
    const ext = contentType === 'image/png' ? 'png' : 'jpg';
    const dir = path.join(this.config.get<string>('exports.dir')!, '..', 'logos');
    const target = path.join(dir, `${org.id}.${ext}`);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(target, Buffer.from(response.data));
    org.logoPath = target;
    this.logger.log(`logo updated for org ${org.id}`);
    return this.orgs.save(org);
  }
}
