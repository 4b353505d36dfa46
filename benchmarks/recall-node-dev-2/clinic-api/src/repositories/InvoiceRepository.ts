import type { Queryable } from '../db.js';

export interface InvoiceRow {
  id: number;
  patient_id: number;
  appointment_id: number | null;
  total: string;
  amount_paid: string;
  status: 'open' | 'paid' | 'void' | 'written_off';
  due_date: string;
  notes: string | null;
  created_at: Date;
}

export interface InvoiceItemInput {
  description: string;
  code?: string;
  quantity: number;
  unitPrice: number;
}

const INVOICE_COLUMNS = 'id, patient_id, appointment_id, total, amount_paid, status, due_date, notes, created_at';

export class InvoiceRepository {
  constructor(private readonly db: Queryable) {}

  async findById(id: number): Promise<InvoiceRow | null> {
    const { rows } = await this.db.query<InvoiceRow>(`SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async lockById(client: Queryable, id: number): Promise<InvoiceRow | null> {
    const { rows } = await client.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findItems(invoiceId: number) {
    const { rows } = await this.db.query(
      'SELECT description, code, quantity, unit_price FROM invoice_items WHERE invoice_id = $1 ORDER BY id',
      [invoiceId],
    );
    return rows;
  }

  async listForPatient(patientId: number, limit: number, offset: number): Promise<InvoiceRow[]> {
    const { rows } = await this.db.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices WHERE patient_id = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3`,
      [patientId, limit, offset],
    );
    return rows;
  }

  async insert(input: {
    patientId: number;
    appointmentId?: number;
    total: number;
    dueDate: string;
    notes?: string;
    createdBy: number;
  }): Promise<InvoiceRow> {
    const { rows } = await this.db.query<InvoiceRow>(
      `INSERT INTO invoices (patient_id, appointment_id, total, due_date, notes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${INVOICE_COLUMNS}`,
      [input.patientId, input.appointmentId ?? null, input.total, input.dueDate, input.notes ?? null, input.createdBy],
    );
    return rows[0];
  }

  async insertItems(invoiceId: number, items: InvoiceItemInput[]) {
    await this.db.query(
      `INSERT INTO invoice_items (invoice_id, description, code, quantity, unit_price)
       SELECT $1, d, c, q, p
         FROM unnest($2::text[], $3::text[], $4::int[], $5::numeric[]) AS t(d, c, q, p)`,
      [
        invoiceId,
        items.map((i) => i.description),
        items.map((i) => i.code ?? null),
        items.map((i) => i.quantity),
        items.map((i) => i.unitPrice),
      ],
    );
  }

  async insertPayment(
    client: Queryable,
    p: { invoiceId: number; amount: string; method: string; reference?: string; recordedBy?: number },
  ) {
    const { rows } = await client.query(
      `INSERT INTO payments (invoice_id, amount, method, reference, recorded_by)
       VALUES ($1, $2::numeric, $3, $4, $5)
       RETURNING id, invoice_id, amount, method, reference, created_at`,
      [p.invoiceId, p.amount, p.method, p.reference ?? null, p.recordedBy ?? null],
    );
    return rows[0];
  }

  async applyPayment(client: Queryable, invoiceId: number, amount: string): Promise<InvoiceRow> {
    const { rows } = await client.query<InvoiceRow>(
      `UPDATE invoices
          SET amount_paid = amount_paid + $2::numeric,
              status = CASE WHEN amount_paid + $2::numeric >= total THEN 'paid' ELSE status END
        WHERE id = $1
        RETURNING ${INVOICE_COLUMNS}`,
      [invoiceId, amount],
    );
    return rows[0];
  }

  async writeOff(invoiceId: number, userId: number, notes: string) {
    const { rows } = await this.db.query<InvoiceRow>(
      `UPDATE invoices SET status = 'written_off', written_off_by = $2, notes = $3
        WHERE id = $1 AND status = 'open'
        RETURNING ${INVOICE_COLUMNS}`,
      [invoiceId, userId, notes],
    );
    return rows[0] ?? null;
  }
}
