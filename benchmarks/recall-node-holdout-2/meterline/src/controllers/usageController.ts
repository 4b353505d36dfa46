import type { Request, Response } from 'express';
import type { z } from 'zod';
import { route } from '../http/middleware';
import type { UsageService } from '../services/usageService';
import type { UsageBatchBody } from '../http/schemas';

export class UsageController {
  constructor(private readonly usage: UsageService) {}

  ingest = route(async (req: Request, res: Response) => {
    const { records } = req.body as z.infer<typeof UsageBatchBody>;
    const result = await this.usage.record(req.membership!.workspaceId, records);
    res.status(202).json(result);
  });
}
