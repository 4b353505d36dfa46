import path from 'path';
import { config } from '../config';

const VENUE_MAP_NAME = /^[a-z0-9][a-z0-9_-]{0,63}\.(png|svg|jpg)$/;

export function eventMediaPath(eventId: string, relative: string): string {
  return path.join(config.mediaRoot, 'events', eventId, relative);
}

export function venueMapPath(venueId: string, name: string): string | null {
  if (!VENUE_MAP_NAME.test(name)) {
    return null;
  }
  const base = path.resolve(config.mediaRoot, 'venues', venueId);
  const full = path.resolve(base, name);
  return full.startsWith(base + path.sep) ? full : null;
}

export function ticketPdfPath(ticketId: string): string {
  return path.join(config.ticketPdfRoot, ticketId.slice(0, 2), `${ticketId}.pdf`);
}

export function contentTypeFor(file: string): string {
  switch (path.extname(file).toLowerCase()) {
    case '.png':
      return 'image/png';
    case '.jpg':
    case '.jpeg':
      return 'image/jpeg';
    case '.svg':
      return 'image/svg+xml';
    case '.pdf':
      return 'application/pdf';
    default:
      return 'application/octet-stream';
  }
}
