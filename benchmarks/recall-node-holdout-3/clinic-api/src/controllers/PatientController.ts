import { Request, Response } from 'express';
import { PatientListQuery } from '../dto/schemas';
import { currentUser } from '../middleware/auth';
import { BillingService } from '../services/BillingService';
import { DocumentService } from '../services/DocumentService';
import { PatientService } from '../services/PatientService';

export class PatientController {
  constructor(
    private readonly patients: PatientService,
    private readonly documents: DocumentService,
    private readonly billing: BillingService,
  ) {}

  list = async (req: Request, res: Response) => {
    const user = currentUser(req);
    const page = await this.patients.list(user, res.locals.query as PatientListQuery);
    const balances = await this.billing.outstandingByPatient(
      user,
      page.items.map((p) => p.id),
    );
    res.json({
      ...page,
      items: page.items.map((p) => ({
        id: p.id,
        firstName: p.firstName,
        lastName: p.lastName,
        dateOfBirth: p.dateOfBirth,
        outstandingCents: balances[p.id] ?? 0,
      })),
    });
  };

  create = async (req: Request, res: Response) => {
    const result = await this.patients.create(currentUser(req), req.body);
    res.status(201).json(result);
  };

  get = async (req: Request, res: Response) => {
    res.json(await this.patients.summary(currentUser(req), req.params.patientId));
  };

  update = async (req: Request, res: Response) => {
    res.json(await this.patients.update(currentUser(req), req.params.patientId, req.body));
  };

  statement = async (req: Request, res: Response) => {
    res.json(await this.billing.statement(currentUser(req), req.params.patientId));
  };

  importDocument = async (req: Request, res: Response) => {
    const doc = await this.documents.importFromUrl(currentUser(req), req.params.patientId, req.body);
    res.status(201).json(doc);
  };
}
