import type { Request, Response } from 'express';
import type { Role } from '@prisma/client';
import { route } from '../http/middleware';
import type { WorkspaceService } from '../services/workspaceService';
import { AcceptInviteBody, ChangeRoleBody, CreateApiKeyBody, InviteBody, PageQuery, UpdateWorkspaceBody } from '../http/schemas';
import type { z } from 'zod';

export class WorkspaceController {
  constructor(private readonly workspaces: WorkspaceService) {}

  get = route(async (req: Request, res: Response) => {
    res.json(await this.workspaces.get(req.membership!.workspaceId));
  });

  update = route(async (req: Request, res: Response) => {
    const body = req.body as z.infer<typeof UpdateWorkspaceBody>;
    res.json(await this.workspaces.update(req.membership!.workspaceId, body));
  });

  remove = route(async (req: Request, res: Response) => {
    await this.workspaces.remove(req.membership!.workspaceId, req.principal!.userId!);
    res.status(204).end();
  });

  listMembers = route(async (req: Request, res: Response) => {
    const page = req.query as unknown as z.infer<typeof PageQuery>;
    res.json(await this.workspaces.listMembers(req.membership!.workspaceId, page));
  });

  invite = route(async (req: Request, res: Response) => {
    const { email, role } = req.body as z.infer<typeof InviteBody>;
    const token = this.workspaces.createInviteToken(req.membership!.workspaceId, email, role);
    res.status(201).json({ inviteUrl: `https://app.meterline.io/invite?token=${encodeURIComponent(token)}` });
  });

  acceptInvite = route(async (req: Request, res: Response) => {
    const { token } = req.body as z.infer<typeof AcceptInviteBody>;
    res.status(201).json(await this.workspaces.acceptInvite(token, req.principal!.userId!));
  });

  changeRole = route(async (req: Request, res: Response) => {
    const { role } = req.body as z.infer<typeof ChangeRoleBody>;
    const membershipId = String(req.params.membershipId);
    res.json(await this.workspaces.changeRole(req.membership!.workspaceId, membershipId, role as Role));
  });

  createApiKey = route(async (req: Request, res: Response) => {
    const { name } = req.body as z.infer<typeof CreateApiKeyBody>;
    res.status(201).json(await this.workspaces.createApiKey(req.membership!.workspaceId, name));
  });

  listApiKeys = route(async (req: Request, res: Response) => {
    res.json(await this.workspaces.listApiKeys(req.membership!.workspaceId));
  });

  revokeApiKey = route(async (req: Request, res: Response) => {
    await this.workspaces.revokeApiKey(req.membership!.workspaceId, String(req.params.keyId));
    res.status(204).end();
  });
}
