import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { config } from '../../config.js';
import { payments } from '../../clients/payments.js';
import { sendMail } from '../../clients/mailer.js';
import { BadRequest, Conflict, NotFound } from '../../lib/errors.js';
import { formatCents, percentOf } from '../../lib/money.js';
import { newRedeemCode } from '../../lib/tokens.js';

const CodeParams = Type.Object({ code: Type.String({ pattern: '^[A-Z2-9]{12}$' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const codeLimit = app.rateLimit({ name: 'gift-code', max: 30, windowSec: 600 });

  app.post('/', {
    preHandler: [app.authenticate],
    schema: {
      body: Type.Object({
        courseId: Type.String({ format: 'uuid' }),
        recipientEmail: Type.String({ format: 'email', maxLength: 254 }),
        paymentMethod: Type.String({ pattern: '^pm_[A-Za-z0-9]{8,64}$' }),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { courseId, recipientEmail, paymentMethod } = request.body;
    const course = await app.prisma.course.findFirst({ where: { id: courseId, published: true } });
    if (!course) throw new NotFound('course');
    const amountCents = course.priceCents + percentOf(course.priceCents, config.vatBps);

    const charge = await payments.createCharge({
      amountCents,
      currency: course.currency,
      paymentMethod,
      description: `Coursepad gift: ${course.title}`,
      idempotencyKey: randomUUID(),
      metadata: { kind: 'gift', courseId },
    });
    if (charge.status !== 'succeeded') throw new BadRequest('payment declined', 'PAYMENT_DECLINED');

    const gift = await app.prisma.gift.create({
      data: {
        buyerId: request.principal.userId,
        courseId,
        recipientEmail: recipientEmail.toLowerCase(),
        redeemCode: newRedeemCode(),
        chargeId: charge.id,
        amountCents,
      },
    });
    await sendMail({
      to: gift.recipientEmail,
      template: 'gift-received',
      vars: { code: gift.redeemCode, course: course.title, value: formatCents(amountCents, course.currency), ref: gift.id },
    }, request.log);
    return reply.status(201).send({ id: gift.id, courseId, recipientEmail: gift.recipientEmail, amountCents });
  });

  app.get('/:code', { preHandler: [codeLimit], schema: { params: CodeParams } }, async (request) => {
    const gift = await app.prisma.gift.findUnique({
      where: { redeemCode: request.params.code },
      include: { course: { select: { id: true, title: true, slug: true } }, buyer: true },
    });
    if (!gift) throw new NotFound('gift');
    return { course: gift.course, from: gift.buyer, redeemed: gift.redeemedAt !== null };
  });

  app.post('/:code/redeem', { preHandler: [app.authenticate, codeLimit], schema: { params: CodeParams } }, async (request) => {
    const { userId } = request.principal;
    const gift = await app.prisma.gift.findUnique({ where: { redeemCode: request.params.code } });
    if (!gift) throw new NotFound('gift');
    const enrollment = await app.prisma.$transaction(async (tx) => {
      const claimed = await tx.gift.updateMany({
        where: { id: gift.id, redeemedAt: null },
        data: { redeemedAt: new Date() },
      });
      if (claimed.count === 0) throw new Conflict('gift already redeemed', 'GIFT_REDEEMED');
      return tx.enrollment.create({
        data: { userId, courseId: gift.courseId, status: 'ACTIVE', amountCents: 0 },
      });
    });
    return { enrollmentId: enrollment.id, courseId: gift.courseId };
  });
};

export default routes;
