import type { Request, Response } from 'express';
import type { z } from 'zod';
import { route } from '../http/middleware';
import { forbidden, unprocessable } from '../lib/errors';
import type { ReportService } from '../services/reportService';
import type { TimeseriesQuery, TopMetersQuery } from '../http/schemas';

const MAX_RANGE_MS = 400 * 24 * 3600 * 1000;

export class ReportController {
  constructor(private readonly reports: ReportService) {}

  private workspaceOf(req: Request): string {
    const id = req.params.workspaceId;
    if (!id) throw forbidden();
    return id;
  }

  timeseries = route(async (req: Request, res: Response) => {
    const q = req.query as unknown as z.infer<typeof TimeseriesQuery>;
    if (q.to.getTime() - q.from.getTime() > MAX_RANGE_MS) throw unprocessable('Range too large');
    res.json(await this.reports.timeseries(this.workspaceOf(req), q));
  });

  topMeters = route(async (req: Request, res: Response) => {
    const q = req.query as unknown as z.infer<typeof TopMetersQuery>;
    if (q.to.getTime() - q.from.getTime() > MAX_RANGE_MS) throw unprocessable('Range too large');
    res.json(await this.reports.topMeters(this.workspaceOf(req), q));
  });
}
