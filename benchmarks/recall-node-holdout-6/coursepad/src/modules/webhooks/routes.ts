import type { FastifyPluginAsync } from 'fastify';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Prisma } from '@prisma/client';
import { config } from '../../config.js';
import { Unauthorized } from '../../lib/errors.js';
import { EnrollmentService } from '../enrollments/service.js';

interface PaymentEvent {
  id: string;
  type: 'charge.succeeded' | 'charge.failed' | 'charge.refunded';
  data: { chargeId: string; amount: number; metadata?: { enrollmentId?: string } };
}

const TOLERANCE_SEC = 300;

function verifySignature(raw: Buffer, header: string | undefined): void {
  if (!header) throw new Unauthorized('missing signature');
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const ts = Number(parts.t);
  if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > TOLERANCE_SEC) {
    throw new Unauthorized('stale signature');
  }
  const expected = createHmac('sha256', config.payments.webhookSecret).update(`${parts.t}.`).update(raw).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new Unauthorized('bad signature');
  }
}

const routes: FastifyPluginAsync = async (app) => {
  const enrollments = new EnrollmentService(app.prisma);
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, body);
  });

  app.post('/payments', async (request, reply) => {
    const raw = request.body as Buffer;
    verifySignature(raw, request.headers['x-paylane-signature'] as string | undefined);
    const event = JSON.parse(raw.toString('utf8')) as PaymentEvent;

    try {
      await app.prisma.webhookEvent.create({ data: { id: event.id, type: event.type } });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        return reply.status(200).send({ duplicate: true });
      }
      throw err;
    }

    try {
      const enrollment = await app.prisma.enrollment.findUnique({
        where: { chargeId: event.data.chargeId },
        include: { course: { select: { instructorId: true } } },
      });
      if (enrollment && event.type === 'charge.succeeded' && enrollment.status === 'PENDING') {
        await enrollments.activate(enrollment.id, event.data.chargeId, enrollment.course.instructorId, enrollment.amountCents);
      } else if (enrollment && event.type === 'charge.failed') {
        await app.prisma.enrollment.update({ where: { id: enrollment.id }, data: { status: 'CANCELLED' } });
      }
    } catch (err) {
      request.log.warn({ eventId: event.id }, 'payment event not applied');
    }
    return reply.status(200).send({ received: true });
  });
};

export default routes;
