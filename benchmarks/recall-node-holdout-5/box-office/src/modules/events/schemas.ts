export const eventIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export const listEventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    city: { type: 'string', maxLength: 80 },
    from: { type: 'string', format: 'date' },
    q: { type: 'string', maxLength: 100 },
    cursor: { type: 'string', format: 'date-time' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
  },
} as const;

export const createEventBody = {
  type: 'object',
  required: ['title', 'venueId', 'startsAt', 'ticketTypes'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 3, maxLength: 160 },
    description: { type: 'string', maxLength: 10_000 },
    venueId: { type: 'string', format: 'uuid' },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
    ticketTypes: {
      type: 'array',
      minItems: 1,
      maxItems: 20,
      items: {
        type: 'object',
        required: ['name', 'priceCents', 'capacity'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 80 },
          priceCents: { type: 'integer', minimum: 0, maximum: 10_000_000 },
          capacity: { type: 'integer', minimum: 1, maximum: 200_000 },
          perOrderLimit: { type: 'integer', minimum: 1, maximum: 20, default: 10 },
        },
      },
    },
  },
} as const;

export const updateEventBody = {
  type: 'object',
  minProperties: 1,
  properties: {
    title: { type: 'string', minLength: 3, maxLength: 160 },
    description: { type: 'string', maxLength: 10_000 },
    starts_at: { type: 'string', format: 'date-time' },
    ends_at: { type: 'string', format: 'date-time' },
  },
} as const;

export interface CreateEventInput {
  title: string;
  description?: string;
  venueId: string;
  startsAt: string;
  endsAt?: string;
  ticketTypes: Array<{ name: string; priceCents: number; capacity: number; perOrderLimit: number }>;
}
