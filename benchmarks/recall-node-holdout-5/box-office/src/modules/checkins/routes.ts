import { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { createHash } from 'crypto';
import { HttpError } from '../../plugins/errors';

interface Scanner {
  id: string;
  event_id: string;
  label: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    scanner?: Scanner;
  }
}

interface ScanResult {
  barcode: string;
  result: 'admitted' | 'already_used' | 'invalid';
  ticketType?: string;
}

const checkinRoutes: FastifyPluginAsync = async (app) => {
  app.decorateRequest('scanner', undefined);

  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const key = request.headers['x-scanner-key'];
    if (typeof key !== 'string' || key.length < 20) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    const scanner: Scanner | undefined = await app.db('scanners')
      .select('id', 'event_id', 'label')
      .where({ key_hash: createHash('sha256').update(key).digest('hex') })
      .whereNull('revoked_at')
      .first();
    if (!scanner) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
    request.scanner = scanner;
  });

  app.post<{ Body: { barcode: string } }>(
    '/scan',
    {
      schema: {
        body: {
          type: 'object',
          required: ['barcode'],
          additionalProperties: false,
          properties: { barcode: { type: 'string', pattern: '^[0-9A-Z]{16}$' } },
        },
      },
    },
    async (request): Promise<ScanResult> => {
      const { barcode } = request.body;
      const admitted = await app.db('tickets as t')
        .update({ checked_in_at: app.db.fn.now(), checked_in_by: request.scanner!.id })
        .where('t.barcode', barcode)
        .whereNull('t.checked_in_at')
        .where('t.status', 'valid')
        .whereExists(
          app.db('ticket_types as tt').whereRaw('tt.id = t.ticket_type_id').andWhere('tt.event_id', request.scanner!.event_id),
        )
        .returning(['t.id']);
      if (admitted.length === 1) {
        return { barcode, result: 'admitted' };
      }
      const known = await app.db('tickets').where({ barcode }).first('id');
      return { barcode, result: known ? 'already_used' : 'invalid' };
    },
  );

  app.post<{ Body: { scans: Array<{ barcode: string; scannedAt: string }> } }>(
    '/batch',
    {
      schema: {
        body: {
          type: 'object',
          required: ['scans'],
          additionalProperties: false,
          properties: {
            scans: {
              type: 'array',
              minItems: 1,
              maxItems: 2000,
              items: {
                type: 'object',
                required: ['barcode', 'scannedAt'],
                properties: {
                  barcode: { type: 'string', pattern: '^[0-9A-Z]{16}$' },
                  scannedAt: { type: 'string', format: 'date-time' },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const eventId = request.scanner!.event_id;
      const results: ScanResult[] = [];
      for (const scan of request.body.scans) {
        const ticket = await app.db('tickets as t')
          .join('ticket_types as tt', 'tt.id', 't.ticket_type_id')
          .select('t.id', 't.checked_in_at', 't.status', 'tt.name', 'tt.event_id')
          .where('t.barcode', scan.barcode)
          .first();
        if (!ticket || ticket.event_id !== eventId || ticket.status !== 'valid') {
          results.push({ barcode: scan.barcode, result: 'invalid' });
          continue;
        }
        if (ticket.checked_in_at) {
          results.push({ barcode: scan.barcode, result: 'already_used', ticketType: ticket.name });
          continue;
        }
        await app.db('tickets')
          .where({ id: ticket.id })
          .whereNull('checked_in_at')
          .update({ checked_in_at: scan.scannedAt, checked_in_by: request.scanner!.id });
        results.push({ barcode: scan.barcode, result: 'admitted', ticketType: ticket.name });
      }
      return { results };
    },
  );

  app.get('/stats', async (request) => {
    if (!request.scanner) {
      throw new HttpError(401, 'unauthorized', 'unauthorized');
    }
    const [row] = await app.db('tickets as t')
      .join('ticket_types as tt', 'tt.id', 't.ticket_type_id')
      .where('tt.event_id', request.scanner.event_id)
      .select(app.db.raw('count(*)::int as issued'), app.db.raw('count(t.checked_in_at)::int as checked_in'));
    return row;
  });
};

export default checkinRoutes;
