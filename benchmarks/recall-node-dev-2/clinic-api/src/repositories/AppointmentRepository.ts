import type { Queryable } from '../db.js';

export interface AppointmentRow {
  id: number;
  patient_id: number;
  practitioner_id: number;
  clinic_id: number;
  starts_at: Date;
  duration_minutes: number;
  visit_type: string;
  status: string;
  eligibility: string;
}

export interface NewAppointment {
  patientId: number;
  practitionerId: number;
  clinicId: number;
  startsAt: Date;
  durationMinutes: number;
  visitType: string;
  eligibility: string;
}

const SORT_COLUMNS: Record<string, string> = {
  date: 'starts_at',
  created: 'created_at',
  type: 'visit_type',
};

export class AppointmentRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: number): Promise<AppointmentRow | null> {
    const { rows } = await this.db.query<AppointmentRow>(
      `SELECT id, patient_id, practitioner_id, clinic_id, starts_at, duration_minutes, visit_type, status, eligibility
         FROM appointments WHERE id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async listForPatient(patientId: number, sortKey: string, limit: number, offset: number) {
    const column = SORT_COLUMNS[sortKey] ?? 'starts_at';
    const { rows } = await this.db.query<AppointmentRow>(
      `SELECT id, patient_id, practitioner_id, clinic_id, starts_at, duration_minutes, visit_type, status
         FROM appointments
        WHERE patient_id = $1
        ORDER BY ${column} DESC
        LIMIT $2 OFFSET $3`,
      [patientId, limit, offset],
    );
    return rows;
  }

  async countActiveAt(practitionerId: number, startsAt: Date): Promise<number> {
    const { rows } = await this.db.query<{ count: string }>(
      `SELECT count(*) FROM appointments
        WHERE practitioner_id = $1 AND starts_at = $2 AND status <> 'cancelled'`,
      [practitionerId, startsAt],
    );
    return Number(rows[0].count);
  }

  async insert(a: NewAppointment): Promise<AppointmentRow> {
    const { rows } = await this.db.query<AppointmentRow>(
      `INSERT INTO appointments
         (patient_id, practitioner_id, clinic_id, starts_at, duration_minutes, visit_type, eligibility)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id, patient_id, practitioner_id, clinic_id, starts_at, duration_minutes, visit_type, status, eligibility`,
      [a.patientId, a.practitionerId, a.clinicId, a.startsAt, a.durationMinutes, a.visitType, a.eligibility],
    );
    return rows[0];
  }

  async listDueReminders(until: Date, limit: number) {
    const { rows } = await this.db.query<{ id: number; starts_at: Date; phone: string; first_name: string; clinic_name: string }>(
      `SELECT a.id, a.starts_at, p.phone, p.first_name, c.name AS clinic_name
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id
         JOIN clinics c ON c.id = a.clinic_id
        WHERE a.reminder_sent_at IS NULL AND a.status = 'booked'
          AND a.starts_at > now() AND a.starts_at <= $1
        ORDER BY a.starts_at
        LIMIT $2`,
      [until, limit],
    );
    return rows;
  }

  async markReminderSent(ids: number[]) {
    if (ids.length === 0) return;
    await this.db.query('UPDATE appointments SET reminder_sent_at = now() WHERE id = ANY($1::int[])', [ids]);
  }
}
