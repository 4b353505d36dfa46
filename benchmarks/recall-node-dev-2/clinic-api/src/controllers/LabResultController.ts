import type { Request, Response } from 'express';
import type { LabResultService } from '../services/LabResultService.js';

export class LabResultController {
  constructor(private readonly labResults: LabResultService) {}

  get = async (req: Request, res: Response) => {
    res.json(await this.labResults.getForUser(req.user!, Number(req.params.id)));
  };

  listMine = async (req: Request, res: Response) => {
    const limit = Math.min(Number(req.query.limit) || 50, 200);
    res.json(await this.labResults.listForPatient(req.user!.patientId!, limit));
  };

  downloadPdf = async (req: Request, res: Response) => {
    const { pdf, etag, filename } = await this.labResults.getReportPdf(Number(req.params.id));
    if (req.headers['if-none-match'] === `"${etag}"`) {
      return res.status(304).end();
    }
    res.setHeader('ETag', `"${etag}"`);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${filename}"`);
    return res.send(pdf);
  };
}
