import type { Request, Response } from 'express';
import { REPORT_SOURCES, type ReportKind, type ReportRepository } from '../repositories/ReportRepository.js';

export class ReportController {
  constructor(private readonly reports: ReportRepository) {}

  dailyCounts = async (req: Request, res: Response) => {
    const kind = req.params.kind;
    if (!Object.hasOwn(REPORT_SOURCES, kind)) {
      return res.status(404).json({ error: `unknown report ${kind}` });
    }
    const { from, to } = req.query as { from: string; to: string };
    return res.json(await this.reports.dailyCounts(kind as ReportKind, from, to));
  };
}
