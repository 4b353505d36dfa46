import { config } from '../config';

export interface SeatStatus {
  seatId: string;
  section: string;
  row: string;
  number: number;
  available: boolean;
}

/** Seat availability lives in the venue seat-map service. */
export async function fetchSeatAvailability(externalMapId: string, ticketTypeIds: string[]): Promise<SeatStatus[]> {
  const url = new URL(`/maps/${encodeURIComponent(externalMapId)}/availability`, config.seatmap.baseUrl);
  for (const id of ticketTypeIds) {
    url.searchParams.append('ticketType', id);
  }
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    throw new Error(`seatmap service answered ${res.status}`);
  }
  const body = (await res.json()) as { seats: SeatStatus[] };
  return body.seats;
}
