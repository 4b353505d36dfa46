import { DataSource } from 'typeorm';
import { InsuranceClient } from '../clients/insuranceClient';
import { CreatePatientDto, PatientListQuery, UpdatePatientDto } from '../dto/schemas';
import { Appointment } from '../entities/Appointment';
import { Patient } from '../entities/Patient';
import { AuthUser } from '../middleware/auth';
import { HttpError } from '../middleware/errors';
import { PatientRepository } from '../repositories/PatientRepository';

export class PatientService {
  constructor(
    private readonly patients: PatientRepository,
    private readonly insurance: InsuranceClient,
    private readonly dataSource: DataSource,
  ) {}

  async list(user: AuthUser, query: PatientListQuery) {
    const [items, total] = await this.patients.search(user.clinicId, query);
    return { items, total, limit: query.limit, offset: query.offset };
  }

  /** Loads a patient the caller may see: same clinic, and patients only themselves. */
  async getVisible(user: AuthUser, patientId: string): Promise<Patient> {
    if (user.role === 'patient' && user.patientId !== patientId) {
      throw new HttpError(404, 'patient not found');
    }
    const patient = await this.patients.findInClinic(patientId, user.clinicId);
    if (!patient) {
      throw new HttpError(404, 'patient not found');
    }
    return patient;
  }

  async create(user: AuthUser, dto: CreatePatientDto) {
    const duplicates = await this.patients.findPossibleDuplicates(
      user.clinicId,
      dto.lastName,
      dto.dateOfBirth,
    );
    const patient = this.patients.raw.create({ ...dto, clinicId: user.clinicId });
    if (dto.insuranceMemberId) {
      patient.insuranceStatus = await this.insurance.checkEligibility(
        dto.insuranceMemberId,
        dto.dateOfBirth,
      );
    }
    const saved = await this.patients.save(patient);
    return { patient: saved, possibleDuplicates: duplicates.map((d) => d.id) };
  }

  async update(user: AuthUser, patientId: string, dto: UpdatePatientDto): Promise<Patient> {
    const patient = await this.getVisible(user, patientId);
    Object.assign(patient, dto);
    if (dto.insuranceMemberId) {
      patient.insuranceStatus = await this.insurance.checkEligibility(
        dto.insuranceMemberId,
        patient.dateOfBirth,
      );
    }
    return this.patients.save(patient);
  }

  async summary(user: AuthUser, patientId: string) {
    const patient = await this.getVisible(user, patientId);
    const upcoming = await this.dataSource.getRepository(Appointment).find({
      where: { patientId: patient.id, clinicId: user.clinicId, status: 'booked' },
      relations: { clinician: true },
      order: { startsAt: 'ASC' },
      take: 10,
    });
    return {
      id: patient.id,
      name: `${patient.firstName} ${patient.lastName}`,
      insuranceStatus: patient.insuranceStatus,
      creditCents: patient.creditCents,
      noShowCount: patient.noShowCount,
      upcoming: upcoming.map((a) => ({
        id: a.id,
        startsAt: a.startsAt,
        clinician: a.clinician.displayName,
      })),
    };
  }
}
