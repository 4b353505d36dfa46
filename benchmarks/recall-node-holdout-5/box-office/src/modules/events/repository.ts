import { Knex } from 'knex';
import { CreateEventInput } from './schemas';

export interface EventRow {
  id: string;
  organizer_id: string;
  venue_id: string;
  title: string;
  description: string | null;
  status: 'draft' | 'published' | 'cancelled';
  starts_at: Date;
  ends_at: Date | null;
  seatmap_id: string | null;
  fee_bps: number | null;
}

export interface TicketTypeRow {
  id: string;
  event_id: string;
  name: string;
  price_cents: number;
  price: string;
  capacity: number;
  sold: number;
  per_order_limit: number;
}

const LISTING_COLUMNS = ['e.id', 'e.title', 'e.starts_at', 'e.ends_at', 'v.name as venue_name', 'v.city'];

export class EventsRepository {
  constructor(private readonly db: Knex) {}

  listPublished(filter: { city?: string; from?: string; q?: string; cursor?: string; limit: number }) {
    const query = this.db('events as e')
      .join('venues as v', 'v.id', 'e.venue_id')
      .select(LISTING_COLUMNS)
      .where('e.status', 'published')
      .orderBy('e.starts_at', 'asc')
      .limit(filter.limit);
    if (filter.city) {
      query.where('v.city', filter.city);
    }
    if (filter.from) {
      query.where('e.starts_at', '>=', filter.from);
    }
    if (filter.cursor) {
      query.where('e.starts_at', '>', filter.cursor);
    }
    if (filter.q) {
      query.whereRaw('e.search_vector @@ plainto_tsquery(?)', [filter.q]);
    }
    return query;
  }

  findById(id: string): Promise<EventRow | undefined> {
    return this.db<EventRow>('events').where({ id }).first();
  }

  ticketTypes(eventId: string): Promise<TicketTypeRow[]> {
    return this.db<TicketTypeRow>('ticket_types').where({ event_id: eventId }).orderBy('price_cents');
  }

  async create(organizerId: string, input: CreateEventInput): Promise<EventRow> {
    return this.db.transaction(async (trx) => {
      const [event]: EventRow[] = await trx('events')
        .insert({
          organizer_id: organizerId,
          venue_id: input.venueId,
          title: input.title,
          description: input.description ?? null,
          starts_at: input.startsAt,
          ends_at: input.endsAt ?? null,
          status: 'draft',
        })
        .returning('*');
      await trx('ticket_types').insert(
        input.ticketTypes.map((t) => ({
          event_id: event.id,
          name: t.name,
          price_cents: t.priceCents,
          price: (t.priceCents / 100).toFixed(2),
          capacity: t.capacity,
          per_order_limit: t.perOrderLimit,
          sold: 0,
        })),
      );
      return event;
    });
  }

  async update(id: string, patch: Record<string, unknown>): Promise<EventRow> {
    const [row]: EventRow[] = await this.db('events')
      .where({ id })
      .update({ ...patch, updated_at: this.db.fn.now() })
      .returning('*');
    return row;
  }

  async setStatus(id: string, status: EventRow['status']): Promise<void> {
    await this.db('events').where({ id }).update({ status, updated_at: this.db.fn.now() });
  }

  attendees(eventId: string) {
    return this.db('tickets as t')
      .join('ticket_types as tt', 'tt.id', 't.ticket_type_id')
      .join('users as u', 'u.id', 't.holder_id')
      .select('t.id', 't.status', 't.checked_in_at', 'tt.name as ticket_type', 'u.full_name', 'u.email')
      .where('tt.event_id', eventId)
      .orderBy('u.full_name');
  }
}
