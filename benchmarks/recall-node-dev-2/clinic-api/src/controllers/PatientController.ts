import type { Request, Response } from 'express';
import type { PatientService } from '../services/PatientService.js';

export class PatientController {
  constructor(private readonly patients: PatientService) {}

  me = async (req: Request, res: Response) => {
    res.json(await this.patients.getProfile(req.user!.patientId!));
  };

  updateMe = async (req: Request, res: Response) => {
    res.json(await this.patients.updateContact(req.user!.patientId!, req.body));
  };

  getById = async (req: Request, res: Response) => {
    res.json(await this.patients.getProfile(Number(req.params.id)));
  };

  search = async (req: Request, res: Response) => {
    const { q, sort, direction } = req.query as Record<string, string | undefined>;
    const limit = Math.min(Number(req.query.limit) || 25, 100);
    const page = Math.max(Number(req.query.page) || 1, 1);
    res.json(await this.patients.search({ q, sort, direction, limit, offset: (page - 1) * limit }));
  };
}
