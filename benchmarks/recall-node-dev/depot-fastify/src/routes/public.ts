import { FastifyPluginAsync } from 'fastify';
import crypto from 'crypto';
import { pool } from '../db';
import { trackingStatus } from '../carrier';

const WEBHOOK_SECRET = process.env.CARRIER_WEBHOOK_SECRET ?? '';
const PAGES: Record<string, string> = { help: '/docs/help', status: '/docs/status' };

const publicRoutes: FastifyPluginAsync = async (fastify) => {
  fastify.get('/track/:code', async (request, reply) => {
    const { code } = request.params as { code: string };
    const status = await trackingStatus(code);
    if (!status) {
      return reply.type('text/html').send(`<p>No shipment with code <b>${code}</b></p>`);
    }
    return reply.send({ code, status });
  });

  fastify.post('/carrier-webhook', async (request, reply) => {
    const signature = request.headers['x-carrier-signature'] as string;
    const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(JSON.stringify(request.body)).digest('hex');
    if (signature !== expected) {
      return reply.code(401).send();
    }
    const event = request.body as { reference: string; state: string };
    await pool.query('UPDATE shipments SET carrier_state = $1 WHERE reference = $2', [event.state, event.reference]);
    return { ok: true };
  });

  fastify.post('/returns-webhook', async (request, reply) => {
    const signature = Buffer.from(String(request.headers['x-returns-signature'] ?? ''), 'hex');
    const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(JSON.stringify(request.body)).digest();
    if (signature.length !== expected.length || !crypto.timingSafeEqual(signature, expected)) {
      return reply.code(401).send();
    }
    return { ok: true };
  });

  fastify.get('/go/:page', async (request, reply) => {
    const { page } = request.params as { page: string };
    return reply.redirect(PAGES[page] ?? '/docs');
  });

  fastify.post('/password-reset', async (request) => {
    const { email } = request.body as { email: string };
    const token = Math.random().toString(36).slice(2);
    await pool.query('UPDATE users SET reset_token = $1 WHERE email = $2', [token, email]);
    return { sent: true };
  });

  fastify.post('/invite', async (request) => {
    const { email } = request.body as { email: string };
    const token = crypto.randomBytes(24).toString('hex');
    await pool.query('INSERT INTO invites (email, token) VALUES ($1, $2)', [email, token]);
    return { sent: true };
  });
};

export default publicRoutes;
