import { Knex } from 'knex';
import { fetchText } from '../../lib/http';
import { HttpError } from '../../plugins/errors';

interface FeedEvent {
  externalId: string;
  title: string;
  startsAt: string;
  venueExternalId: string;
}

export class PartnersService {
  constructor(private readonly db: Knex) {}

  /** Pulls a partner's JSON event feed and upserts draft events for the organizer. */
  async importFeed(organizerId: string, feedUrl: string): Promise<{ imported: number }> {
    const text = await fetchText(feedUrl, 10_000, 2 * 1024 * 1024);
    let feed: { events?: FeedEvent[] };
    try {
      feed = JSON.parse(text);
    } catch {
      throw new HttpError(422, 'Feed is not valid JSON', 'bad_feed');
    }
    const items = (feed.events ?? []).slice(0, 500);
    if (items.length === 0) {
      return { imported: 0 };
    }
    const venueIds = [...new Set(items.map((e) => e.venueExternalId))];
    const venues = await this.db('venues').select('id', 'external_id').whereIn('external_id', venueIds);
    const venueByExternal = new Map(venues.map((v: { id: string; external_id: string }) => [v.external_id, v.id]));

    const rows = items
      .filter((e) => venueByExternal.has(e.venueExternalId))
      .map((e) => ({
        organizer_id: organizerId,
        external_id: e.externalId,
        title: String(e.title).slice(0, 160),
        starts_at: e.startsAt,
        venue_id: venueByExternal.get(e.venueExternalId),
        status: 'draft',
      }));
    if (rows.length > 0) {
      await this.db('events').insert(rows).onConflict(['organizer_id', 'external_id']).merge(['title', 'starts_at', 'venue_id']);
    }
    return { imported: rows.length };
  }
}
