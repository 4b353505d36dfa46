import type { Queryable } from '../db.js';

export const REPORT_SOURCES = {
  appointments: { table: 'appointments', dateColumn: 'starts_at' },
  invoices: { table: 'invoices', dateColumn: 'created_at' },
  payments: { table: 'payments', dateColumn: 'created_at' },
  'lab-results': { table: 'lab_results', dateColumn: 'collected_at' },
} as const;

export type ReportKind = keyof typeof REPORT_SOURCES;

export class ReportRepository {
  constructor(private readonly db: Queryable) {}

  async dailyCounts(kind: ReportKind, from: string, to: string) {
    const source = REPORT_SOURCES[kind];
    const { rows } = await this.db.query<{ day: string; count: string }>(
      `SELECT date_trunc('day', ${source.dateColumn})::date AS day, count(*) AS count
         FROM ${source.table}
        WHERE ${source.dateColumn} >= $1 AND ${source.dateColumn} < $2
        GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    return rows.map((r) => ({ day: r.day, count: Number(r.count) }));
  }
}
