import type { PrismaClient } from '@prisma/client';
import { payments } from '../../clients/payments.js';
import { config } from '../../config.js';
import { BadRequest, Conflict, NotFound } from '../../lib/errors.js';
import { splitRevenue } from '../../lib/money.js';
import { quote, redeemCoupon, reserveSeat } from './pricing.js';
import { certificateQueue } from '../../jobs/queues.js';

const REFUND_WINDOW_MS = 14 * 86_400_000;

export class EnrollmentService {
  constructor(private readonly prisma: PrismaClient) {}

  async enroll(userId: string, courseId: string, paymentMethod: string, couponCode?: string) {
    const course = await this.prisma.course.findFirst({ where: { id: courseId, published: true } });
    if (!course) throw new NotFound('course');

    const existing = await this.prisma.enrollment.findUnique({ where: { userId_courseId: { userId, courseId } } });
    if (existing && existing.status === 'ACTIVE') throw new Conflict('already enrolled', 'ALREADY_ENROLLED');

    const coupon = couponCode ? await redeemCoupon(this.prisma, couponCode, courseId) : null;
    const price = quote(course, coupon);
    await reserveSeat(this.prisma, courseId);
    const enrollment = await this.prisma.enrollment.create({
      data: { userId, courseId, amountCents: price.amountCents, couponId: price.couponId },
    });

    const charge = await payments.createCharge({
      amountCents: price.amountCents,
      currency: price.currency,
      paymentMethod,
      description: `Coursepad: ${course.title}`,
      idempotencyKey: `enroll:${enrollment.id}`,
      metadata: { enrollmentId: enrollment.id },
    });
    if (charge.status === 'failed') {
      await this.prisma.enrollment.update({ where: { id: enrollment.id }, data: { status: 'CANCELLED' } });
      throw new BadRequest('payment declined', 'PAYMENT_DECLINED');
    }
    if (charge.status === 'pending') {
      return this.prisma.enrollment.update({ where: { id: enrollment.id }, data: { chargeId: charge.id } });
    }
    return this.activate(enrollment.id, charge.id, course.instructorId, price.amountCents);
  }

  async activate(enrollmentId: string, chargeId: string, instructorId: string, amountCents: number) {
    const { instructorShare } = splitRevenue(amountCents, config.platformFeeBps);
    const [enrollment] = await this.prisma.$transaction([
      this.prisma.enrollment.update({ where: { id: enrollmentId }, data: { status: 'ACTIVE', chargeId } }),
      this.prisma.instructorBalance.upsert({
        where: { instructorId },
        create: { instructorId, availableCents: instructorShare },
        update: { availableCents: { increment: instructorShare } },
      }),
    ]);
    return enrollment;
  }

  async get(userId: string, enrollmentId: string) {
    const enrollment = await this.prisma.enrollment.findFirst({
      where: { id: enrollmentId, userId },
      include: { course: { select: { id: true, title: true, slug: true } } },
    });
    if (!enrollment) throw new NotFound('enrollment');
    return enrollment;
  }

  async cancel(userId: string, enrollmentId: string) {
    const enrollment = await this.get(userId, enrollmentId);
    if (enrollment.status !== 'ACTIVE' || !enrollment.chargeId) throw new Conflict('enrollment cannot be cancelled');
    if (Date.now() - enrollment.createdAt.getTime() > REFUND_WINDOW_MS) {
      throw new Conflict('refund window has passed', 'REFUND_WINDOW_CLOSED');
    }
    const claimed = await this.prisma.enrollment.updateMany({
      where: { id: enrollment.id, userId, status: 'ACTIVE' },
      data: { status: 'CANCELLED' },
    });
    if (claimed.count === 0) throw new Conflict('enrollment cannot be cancelled');
    const course = await this.prisma.course.findUniqueOrThrow({ where: { id: enrollment.courseId } });
    const { instructorShare } = splitRevenue(enrollment.amountCents, config.platformFeeBps);
    try {
      await payments.refundCharge(enrollment.chargeId, enrollment.amountCents, `refund:${enrollment.id}`);
    } catch (err) {
      await this.prisma.enrollment.update({ where: { id: enrollment.id }, data: { status: 'ACTIVE' } });
      throw err;
    }
    await this.prisma.$transaction([
      this.prisma.enrollment.update({ where: { id: enrollment.id }, data: { status: 'REFUNDED' } }),
      this.prisma.instructorBalance.update({
        where: { instructorId: course.instructorId },
        data: { availableCents: { decrement: instructorShare } },
      }),
      this.prisma.course.update({ where: { id: course.id }, data: { seatsTaken: { decrement: 1 } } }),
    ]);
    return { status: 'REFUNDED' as const };
  }

  async complete(userId: string, enrollmentId: string) {
    const enrollment = await this.get(userId, enrollmentId);
    if (enrollment.status !== 'ACTIVE') throw new Conflict('enrollment is not active');
    const updated = await this.prisma.enrollment.updateMany({
      where: { id: enrollment.id, completedAt: null },
      data: { completedAt: new Date() },
    });
    if (updated.count === 1) {
      await certificateQueue.add('issue', { enrollmentId: enrollment.id }, { jobId: `cert:${enrollment.id}` });
    }
    return { completed: true };
  }
}
