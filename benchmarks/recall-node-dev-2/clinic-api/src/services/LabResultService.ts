import crypto from 'node:crypto';
import type { LabProviderClient } from '../clients/labProviderClient.js';
import { logger } from '../logger.js';
import type { LabResultRepository, LabResultRow } from '../repositories/LabResultRepository.js';
import type { AuthUser } from '../types/auth.js';
import { notFound } from '../utils/httpError.js';

function toDto(row: LabResultRow) {
  const value = row.value === null ? NaN : Number(row.value);
  const low = row.reference_low === null ? NaN : Number(row.reference_low);
  const high = row.reference_high === null ? NaN : Number(row.reference_high);
  return {
    id: row.id,
    testCode: row.test_code,
    testName: row.test_name,
    value: row.value,
    unit: row.unit,
    referenceRange: row.reference_low !== null ? `${row.reference_low}-${row.reference_high}` : null,
    outOfRange: Number.isFinite(value) && ((Number.isFinite(low) && value < low) || (Number.isFinite(high) && value > high)),
    collectedAt: row.collected_at,
    reportedAt: row.reported_at,
  };
}

export class LabResultService {
  constructor(
    private readonly results: LabResultRepository,
    private readonly provider: LabProviderClient,
  ) {}

  async getForUser(user: AuthUser, id: number) {
    const row = await this.results.findById(id);
    if (!row || (user.role === 'patient' && row.patient_id !== user.patientId)) {
      throw notFound('lab result');
    }
    return toDto(row);
  }

  async listForPatient(patientId: number, limit: number) {
    const rows = await this.results.listForPatient(patientId, limit);
    return rows.map(toDto);
  }

  async getReportPdf(id: number) {
    const row = await this.results.findById(id);
    if (!row) throw notFound('lab result');
    const pdf = await this.provider.fetchReportPdf(row.external_id);
    const etag = crypto.createHash('sha1').update(pdf).digest('hex');
    return { pdf, etag, filename: `${row.test_code}-${row.id}.pdf` };
  }

  async syncFromProvider() {
    const cursor = await this.results.readCursor();
    const { results, nextCursor } = await this.provider.fetchResultsSince(cursor);
    if (results.length > 0) {
      await this.results.upsertBatch(results, nextCursor);
    }
    logger.info({ count: results.length, cursor: nextCursor }, 'lab results synced');
    return results.length;
  }
}
