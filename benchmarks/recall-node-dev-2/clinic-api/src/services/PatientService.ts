import type { PatientRepository, PatientRow, PatientSearch } from '../repositories/PatientRepository.js';
import { notFound } from '../utils/httpError.js';

export interface PatientDto {
  id: number;
  mrn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  phone: string;
  email: string | null;
  address: string | null;
}

export function toPatientDto(row: PatientRow): PatientDto {
  return {
    id: row.id,
    mrn: row.mrn,
    firstName: row.first_name,
    lastName: row.last_name,
    dateOfBirth: row.date_of_birth,
    phone: row.phone,
    email: row.email,
    address: row.address,
  };
}

export class PatientService {
  constructor(private readonly patients: PatientRepository) {}

  async getProfile(patientId: number): Promise<PatientDto> {
    const row = await this.patients.findById(patientId);
    if (!row) throw notFound('patient');
    return toPatientDto(row);
  }

  async search(params: PatientSearch): Promise<PatientDto[]> {
    const rows = await this.patients.search(params);
    return rows.map(toPatientDto);
  }

  async updateContact(patientId: number, fields: { email?: string; address?: string; phone?: string }) {
    const row = await this.patients.updateContact(patientId, fields);
    if (!row) throw notFound('patient');
    return toPatientDto(row);
  }
}
