import type { PrismaClient, Role } from '@prisma/client';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { conflict, forbidden, notFound, unprocessable } from '../lib/errors';
import { hashApiKeySecret, newApiKey } from '../lib/crypto';
import type { UpdateWorkspaceInput } from '../http/schemas';

interface InviteClaims {
  wid: string;
  email: string;
  role: Role;
}

export class WorkspaceService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  async get(workspaceId: string) {
    const ws = await this.prisma.workspace.findUnique({
      where: { id: workspaceId },
      select: { id: true, name: true, slug: true, plan: true, billingEmail: true, createdAt: true },
    });
    if (!ws) throw notFound('Workspace');
    return ws;
  }

  async update(workspaceId: string, input: UpdateWorkspaceInput) {
    return this.prisma.workspace.update({
      where: { id: workspaceId },
      data: input,
      select: { id: true, name: true, slug: true, plan: true, billingEmail: true },
    });
  }

  async remove(workspaceId: string, actorUserId: string) {
    await this.prisma.workspace.delete({ where: { id: workspaceId } });
    this.logger.info({ workspaceId, actorUserId }, 'workspace deleted');
  }

  async listMembers(workspaceId: string, page: { cursor?: string; limit: number }) {
    const take = Math.min(page.limit, this.config.MAX_PAGE_SIZE);
    const rows = await this.prisma.membership.findMany({
      where: { workspaceId },
      include: { user: true },
      orderBy: { id: 'asc' },
      take: take + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const hasMore = rows.length > take;
    const items = hasMore ? rows.slice(0, take) : rows;
    return { items, nextCursor: hasMore ? items[items.length - 1]?.id : null };
  }

  createInviteToken(workspaceId: string, email: string, role: Role): string {
    const claims: InviteClaims = { wid: workspaceId, email: email.toLowerCase(), role };
    return jwt.sign(claims, this.config.INVITE_SECRET, { algorithm: 'HS256', expiresIn: '72h', audience: 'invite' });
  }

  async acceptInvite(token: string, userId: string) {
    let claims: InviteClaims;
    try {
      claims = jwt.verify(token, this.config.INVITE_SECRET, { algorithms: ['HS256'], audience: 'invite' }) as InviteClaims;
    } catch {
      throw unprocessable('Invitation is invalid or has expired');
    }
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
    if (!user || user.email.toLowerCase() !== claims.email) throw forbidden();
    try {
      return await this.prisma.membership.create({
        data: { workspaceId: claims.wid, userId, role: claims.role },
        select: { id: true, workspaceId: true, role: true },
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') throw conflict('Already a member');
      throw err;
    }
  }

  async changeRole(workspaceId: string, membershipId: string, role: Role) {
    const result = await this.prisma.membership.updateMany({
      where: { id: membershipId, workspaceId },
      data: { role },
    });
    if (result.count === 0) throw notFound('Member');
    return { id: membershipId, role };
  }

  async createApiKey(workspaceId: string, name: string) {
    const key = newApiKey();
    const row = await this.prisma.apiKey.create({
      data: { workspaceId, name, prefix: key.prefix, keyHash: hashApiKeySecret(key.secret) },
      select: { id: true, name: true, prefix: true, createdAt: true },
    });
    return { ...row, key: key.full };
  }

  async listApiKeys(workspaceId: string) {
    return this.prisma.apiKey.findMany({
      where: { workspaceId, revokedAt: null },
      select: { id: true, name: true, prefix: true, lastUsedAt: true, createdAt: true },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
  }

  async revokeApiKey(workspaceId: string, keyId: string) {
    const result = await this.prisma.apiKey.updateMany({
      where: { id: keyId, workspaceId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0) throw notFound('API key');
  }
}
