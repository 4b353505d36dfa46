import { pool, type Queryable } from '../db.js';

export interface LabResultRow {
  id: number;
  external_id: string;
  patient_id: number;
  test_code: string;
  test_name: string;
  value: string | null;
  unit: string | null;
  reference_low: string | null;
  reference_high: string | null;
  collected_at: Date;
  reported_at: Date;
}

export interface IncomingLabResult {
  externalId: string;
  mrn: string;
  testCode: string;
  testName: string;
  value: string | null;
  unit: string | null;
  referenceLow: number | null;
  referenceHigh: number | null;
  collectedAt: string;
  reportedAt: string;
}

export class LabResultRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: number): Promise<LabResultRow | null> {
    const { rows } = await this.db.query<LabResultRow>('SELECT * FROM lab_results WHERE id = $1', [id]);
    return rows[0] ?? null;
  }

  async listForPatient(patientId: number, limit: number) {
    const { rows } = await this.db.query<LabResultRow>(
      'SELECT * FROM lab_results WHERE patient_id = $1 ORDER BY collected_at DESC LIMIT $2',
      [patientId, limit],
    );
    return rows;
  }

  async upsertBatch(results: IncomingLabResult[], cursor: string) {
    const client = await pool.connect();
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO lab_results
         (external_id, patient_id, test_code, test_name, value, unit, reference_low, reference_high, collected_at, reported_at)
       SELECT r.external_id, p.id, r.test_code, r.test_name, r.value, r.unit, r.low, r.high, r.collected_at, r.reported_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[],
                     $9::timestamptz[], $10::timestamptz[])
              AS r(external_id, mrn, test_code, test_name, value, unit, low, high, collected_at, reported_at)
         JOIN patients p ON p.mrn = r.mrn
       ON CONFLICT (external_id) DO UPDATE
          SET value = EXCLUDED.value, unit = EXCLUDED.unit, reported_at = EXCLUDED.reported_at`,
      [
        results.map((r) => r.externalId),
        results.map((r) => r.mrn),
        results.map((r) => r.testCode),
        results.map((r) => r.testName),
        results.map((r) => r.value),
        results.map((r) => r.unit),
        results.map((r) => r.referenceLow),
        results.map((r) => r.referenceHigh),
        results.map((r) => r.collectedAt),
        results.map((r) => r.reportedAt),
      ],
    );
    await client.query(
      `INSERT INTO job_cursors (name, cursor, updated_at) VALUES ('lab-sync', $1, now())
       ON CONFLICT (name) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()`,
      [cursor],
    );
    await client.query('COMMIT');
    client.release();
  }

  async readCursor(): Promise<string | null> {
    const { rows } = await this.db.query<{ cursor: string }>("SELECT cursor FROM job_cursors WHERE name = 'lab-sync'");
    return rows[0]?.cursor ?? null;
  }
}
