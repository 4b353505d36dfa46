import type { Request, Response } from 'express';
import type { ClinicRepository } from '../repositories/ClinicRepository.js';

export class PublicController {
  constructor(private readonly clinics: ClinicRepository) {}

  listClinics = async (_req: Request, res: Response) => {
    res.set('Cache-Control', 'public, max-age=300');
    res.json(await this.clinics.listPublic());
  };
}
