import type { InsuranceClient } from '../clients/insuranceClient.js';
import { logger } from '../logger.js';
import type { AppointmentRepository } from '../repositories/AppointmentRepository.js';
import type { PatientRepository } from '../repositories/PatientRepository.js';
import type { AuthUser } from '../types/auth.js';
import { HttpError, notFound } from '../utils/httpError.js';

export interface BookingInput {
  patientId?: number;
  practitionerId: number;
  clinicId: number;
  startsAt: string;
  durationMinutes: number;
  visitType: string;
}

export class AppointmentService {
  constructor(
    private readonly appointments: AppointmentRepository,
    private readonly patients: PatientRepository,
    private readonly insurance: InsuranceClient,
  ) {}

  async getForUser(user: AuthUser, appointmentId: number) {
    const appointment = await this.appointments.findById(appointmentId);
    if (!appointment) throw notFound('appointment');
    if (user.role === 'patient' && appointment.patient_id !== user.patientId) {
      throw notFound('appointment');
    }
    return appointment;
  }

  async listForPatient(patientId: number, sort: string, page: number, pageSize: number) {
    return this.appointments.listForPatient(patientId, sort, pageSize, (page - 1) * pageSize);
  }

  async book(user: AuthUser, input: BookingInput) {
    const patientId = user.role === 'patient' ? user.patientId : input.patientId;
    if (!patientId) throw new HttpError(400, 'patientId is required');

    const patient = await this.patients.findById(patientId);
    if (!patient) throw notFound('patient');

    const startsAt = new Date(input.startsAt);
    const taken = await this.appointments.countActiveAt(input.practitionerId, startsAt);
    if (taken > 0) {
      throw new HttpError(409, 'this time slot is no longer available');
    }

    let eligibility = 'unknown';
    if (patient.insurance_member_id) {
      try {
        const result = await this.insurance.checkEligibility(patient.insurance_member_id, input.visitType);
        eligibility = result.eligible ? 'eligible' : 'not_eligible';
      } catch (err) {
        logger.warn({ err, patientId }, 'eligibility check unavailable, booking with eligibility=unknown');
      }
    }

    return this.appointments.insert({
      patientId,
      practitionerId: input.practitionerId,
      clinicId: input.clinicId,
      startsAt,
      durationMinutes: input.durationMinutes,
      visitType: input.visitType,
      eligibility,
    });
  }
}
