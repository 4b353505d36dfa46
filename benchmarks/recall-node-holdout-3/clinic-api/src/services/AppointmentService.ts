import { DataSource, Repository } from 'typeorm';
import { SmsClient } from '../clients/smsClient';
import { BookAppointmentDto } from '../dto/schemas';
import { Appointment, AppointmentStatus } from '../entities/Appointment';
import { Clinician } from '../entities/Clinician';
import { Patient } from '../entities/Patient';
import { logger } from '../logger';
import { AuthUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { PatientRepository } from '../repositories/PatientRepository';

function overlapCondition(alias: string) {
  return `${alias}.starts_at < :endsAt AND ${alias}.ends_at > :startsAt AND ${alias}.status = 'booked'`;
}

export class AppointmentService {
  private readonly appointments: Repository<Appointment>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly patients: PatientRepository,
    private readonly sms: SmsClient,
  ) {
    this.appointments = dataSource.getRepository(Appointment);
  }

  async book(user: AuthUser, dto: BookAppointmentDto): Promise<Appointment> {
    if (user.role === 'patient' && user.patientId !== dto.patientId) {
      throw new HttpError(403, 'patients can only book for themselves');
    }
    const startsAt = dto.startsAt;
    const endsAt = new Date(startsAt.getTime() + dto.durationMinutes * 60_000);

    const appointment = await this.dataSource.transaction(async (manager) => {
      // Lock the clinician row so two bookings for the same slot serialise.
      const clinician = await manager
        .getRepository(Clinician)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :id AND c.clinic_id = :clinicId AND c.active = true', {
          id: dto.clinicianId,
          clinicId: user.clinicId,
        })
        .getOne();
      if (!clinician) {
        throw new HttpError(404, 'clinician not found');
      }
      const patient = await manager.findOneBy(Patient, { id: dto.patientId, clinicId: user.clinicId });
      if (!patient) {
        throw new HttpError(404, 'patient not found');
      }
      const clash = await manager
        .getRepository(Appointment)
        .createQueryBuilder('a')
        .where('a.clinician_id = :clinicianId', { clinicianId: clinician.id })
        .andWhere(overlapCondition('a'), { startsAt, endsAt })
        .getExists();
      if (clash) {
        throw new HttpError(409, 'slot is no longer available', 'slot_taken');
      }
      return manager.save(
        manager.create(Appointment, {
          clinicId: user.clinicId,
          patientId: patient.id,
          clinicianId: clinician.id,
          startsAt,
          endsAt,
          reason: dto.reason ?? null,
        }),
      );
    });

    const patient = await this.patients.findInClinic(dto.patientId, user.clinicId);
    if (patient?.phone) {
      await this.sms.send(
        patient.phone,
        `Your appointment is booked for ${startsAt.toISOString().slice(0, 16).replace('T', ' ')}.`,
      );
    }
    return appointment;
  }

  async get(user: AuthUser, appointmentId: string): Promise<Appointment> {
    const appointment = await this.appointments.findOne({
      where: { id: appointmentId },
      relations: { patient: true, clinician: true },
    });
    if (!appointment) {
      throw new HttpError(404, 'appointment not found');
    }
    if (user.role === 'patient' && appointment.patientId !== user.patientId) {
      throw new HttpError(404, 'appointment not found');
    }
    return appointment;
  }

  async listByStatus(user: AuthUser, status: AppointmentStatus): Promise<Appointment[]> {
    return this.appointments.find({
      where: { clinicId: user.clinicId, status },
      relations: { patient: true },
      order: { startsAt: 'DESC' },
    });
  }

  async cancel(user: AuthUser, appointmentId: string): Promise<void> {
    const result = await this.appointments
      .createQueryBuilder()
      .update(Appointment)
      .set({ status: 'cancelled' })
      .where('id = :id AND clinic_id = :clinicId AND status = :booked', {
        id: appointmentId,
        clinicId: user.clinicId,
        booked: 'booked',
      })
      .andWhere(user.role === 'patient' ? 'patient_id = :patientId' : '1=1', {
        patientId: user.patientId,
      })
      .execute();
    if (!result.affected) {
      throw new HttpError(404, 'appointment not found or not cancellable');
    }
  }

  async markNoShow(user: AuthUser, appointmentId: string): Promise<void> {
    const appointment = await this.appointments.findOneBy({
      id: appointmentId,
      clinicId: user.clinicId,
    });
    if (!appointment || appointment.status !== 'booked') {
      throw new HttpError(404, 'appointment not found');
    }
    await this.dataSource.transaction(async (manager) => {
      const result = await manager.update(Appointment, { id: appointment.id, status: 'booked' }, { status: 'no_show' });
      if (result.affected) {
        await manager.increment(Patient, { id: appointment.patientId }, 'noShowCount', 1);
      }
    });
    logger.info({ appointmentId, patientId: appointment.patientId }, 'marked no-show');
  }
}
