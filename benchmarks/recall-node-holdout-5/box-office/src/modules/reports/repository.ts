import { Knex } from 'knex';
import { Pool } from 'pg';
import { Writable } from 'stream';

const GROUPINGS: Record<string, string> = {
  day: "date_trunc('day', o.paid_at)",
  week: "date_trunc('week', o.paid_at)",
  ticket_type: 'tt.name',
};

export interface SalesRow {
  bucket: string;
  orders: number;
  tickets: number;
  gross_cents: number;
}

export class ReportsRepository {
  constructor(
    private readonly db: Knex,
    private readonly pg: Pool,
  ) {}

  async sales(eventId: string, groupBy: string, sort: string, direction: 'asc' | 'desc'): Promise<SalesRow[]> {
    const bucket = GROUPINGS[groupBy] ?? GROUPINGS.day;
    const { rows } = await this.db.raw(
      `SELECT ${bucket} AS bucket,
              count(DISTINCT o.id)::int AS orders,
              sum(oi.quantity)::int AS tickets,
              sum(oi.quantity * oi.unit_price_cents)::bigint AS gross_cents
         FROM orders o
         JOIN order_items oi ON oi.order_id = o.id
         JOIN ticket_types tt ON tt.id = oi.ticket_type_id
        WHERE o.event_id = ? AND o.status = 'paid'
        GROUP BY 1
        ORDER BY ${sort} ${direction}
        LIMIT 500`,
      [eventId],
    );
    return rows;
  }

  async topBuyers(eventId: string, limit: number) {
    return this.db('orders as o')
      .join('users as u', 'u.id', 'o.user_id')
      .select('u.full_name')
      .sum({ spent_cents: 'o.total_cents' })
      .where({ 'o.event_id': eventId, 'o.status': 'paid' })
      .groupBy('u.id', 'u.full_name')
      .orderBy('spent_cents', 'desc')
      .limit(Math.min(limit, 100));
  }

  /** Streams the attendee list as CSV using a server-side cursor on a dedicated connection. */
  async exportAttendeesCsv(eventId: string, out: Writable): Promise<number> {
    const client = await this.pg.connect();
    await client.query('BEGIN READ ONLY');
    await client.query(
      `DECLARE attendees CURSOR FOR
         SELECT t.id, u.full_name, u.email, tt.name, t.checked_in_at
           FROM tickets t
           JOIN ticket_types tt ON tt.id = t.ticket_type_id
           JOIN users u ON u.id = t.holder_id
          WHERE tt.event_id = $1 AND t.status = 'valid'
          ORDER BY u.full_name`,
      [eventId],
    );
    out.write('ticket_id,name,email,ticket_type,checked_in_at\n');
    let total = 0;
    for (;;) {
      const { rows } = await client.query('FETCH 1000 FROM attendees');
      if (rows.length === 0) {
        break;
      }
      for (const r of rows) {
        out.write(`${r.id},"${String(r.full_name).replace(/"/g, '""')}","${r.email}","${r.name}",${r.checked_in_at?.toISOString() ?? ''}\n`);
      }
      total += rows.length;
    }
    await client.query('COMMIT');
    client.release();
    return total;
  }
}
