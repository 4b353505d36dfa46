import type { Request, Response } from 'express';
import type { AppointmentService, BookingInput } from '../services/AppointmentService.js';

export class AppointmentController {
  constructor(private readonly appointments: AppointmentService) {}

  book = async (req: Request, res: Response) => {
    const appointment = await this.appointments.book(req.user!, req.body as BookingInput);
    res.status(201).json(appointment);
  };

  get = async (req: Request, res: Response) => {
    res.json(await this.appointments.getForUser(req.user!, Number(req.params.id)));
  };

  listMine = async (req: Request, res: Response) => {
    const pageSize = Math.min(Number(req.query.pageSize) || 20, 100);
    const page = Math.max(Number(req.query.page) || 1, 1);
    const sort = typeof req.query.sort === 'string' ? req.query.sort : 'date';
    res.json(await this.appointments.listForPatient(req.user!.patientId!, sort, page, pageSize));
  };
}
