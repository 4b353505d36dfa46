import { Request, Response } from 'express';
import { AppointmentStatus } from '../entities/Appointment';
import { currentUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { AppointmentService } from '../services/AppointmentService';

const STATUSES: AppointmentStatus[] = ['booked', 'cancelled', 'completed', 'no_show'];

export class AppointmentController {
  constructor(private readonly appointments: AppointmentService) {}

  book = async (req: Request, res: Response) => {
    const appointment = await this.appointments.book(currentUser(req), req.body);
    res.status(201).json(appointment);
  };

  get = async (req: Request, res: Response) => {
    const a = await this.appointments.get(currentUser(req), req.params.appointmentId);
    res.json({
      id: a.id,
      status: a.status,
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      reason: a.reason,
      clinicalNotes: a.clinicalNotes,
      patient: { id: a.patient.id, name: `${a.patient.firstName} ${a.patient.lastName}` },
      clinician: { id: a.clinician.id, name: a.clinician.displayName },
    });
  };

  byStatus = async (req: Request, res: Response) => {
    const status = String(req.query.status ?? 'booked') as AppointmentStatus;
    if (!STATUSES.includes(status)) {
      throw new HttpError(400, `status must be one of ${STATUSES.join(', ')}`);
    }
    const rows = await this.appointments.listByStatus(currentUser(req), status);
    res.json(
      rows.map((a) => ({
        id: a.id,
        startsAt: a.startsAt,
        patient: { id: a.patient.id, name: `${a.patient.firstName} ${a.patient.lastName}`, phone: a.patient.phone },
      })),
    );
  };

  cancel = async (req: Request, res: Response) => {
    await this.appointments.cancel(currentUser(req), req.params.appointmentId);
    res.status(204).end();
  };

  noShow = async (req: Request, res: Response) => {
    await this.appointments.markNoShow(currentUser(req), req.params.appointmentId);
    res.status(204).end();
  };
}
