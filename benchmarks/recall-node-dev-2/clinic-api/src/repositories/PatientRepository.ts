import type { Queryable } from '../db.js';

export interface PatientRow {
  id: number;
  mrn: string;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  phone: string;
  email: string | null;
  address: string | null;
  insurance_member_id: string | null;
}

export interface PatientSearch {
  q?: string;
  sort?: string;
  direction?: string;
  limit: number;
  offset: number;
}

const PATIENT_COLUMNS =
  'p.id, p.mrn, p.first_name, p.last_name, p.date_of_birth, p.phone, p.email, p.address, p.insurance_member_id';

export class PatientRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: number): Promise<PatientRow | null> {
    const { rows } = await this.db.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients p WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findByPhone(phone: string): Promise<PatientRow | null> {
    const { rows } = await this.db.query<PatientRow>(`SELECT ${PATIENT_COLUMNS} FROM patients p WHERE p.phone = $1`, [
      phone,
    ]);
    return rows[0] ?? null;
  }

  async search({ q, sort, direction, limit, offset }: PatientSearch): Promise<PatientRow[]> {
    const values: unknown[] = [];
    let where = '';
    if (q) {
      values.push(`%${q}%`);
      where = 'WHERE p.last_name ILIKE $1 OR p.first_name ILIKE $1 OR p.mrn ILIKE $1';
    }
    const orderBy = `${sort ?? 'last_name'} ${direction === 'desc' ? 'DESC' : 'ASC'}`;
    values.push(limit, offset);
    const sql = `SELECT ${PATIENT_COLUMNS} FROM patients p ${where}
      ORDER BY ${orderBy} LIMIT $${values.length - 1} OFFSET $${values.length}`;
    const { rows } = await this.db.query<PatientRow>(sql, values);
    return rows;
  }

  async updateContact(id: number, fields: { email?: string; address?: string; phone?: string }) {
    const { rows } = await this.db.query<PatientRow>(
      `UPDATE patients p
          SET email = COALESCE($2, p.email),
              address = COALESCE($3, p.address),
              phone = COALESCE($4, p.phone)
        WHERE p.id = $1
        RETURNING ${PATIENT_COLUMNS}`,
      [id, fields.email ?? null, fields.address ?? null, fields.phone ?? null],
    );
    return rows[0] ?? null;
  }

  async saveLoginCode(patientId: number, codeHash: string, ttlMinutes: number) {
    await this.db.query(
      `INSERT INTO patient_login_codes (patient_id, code_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [patientId, codeHash, ttlMinutes],
    );
  }

  async consumeLoginCode(patientId: number, codeHash: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE patient_login_codes SET used_at = now()
        WHERE patient_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > now()`,
      [patientId, codeHash],
    );
    return (rowCount ?? 0) > 0;
  }
}
