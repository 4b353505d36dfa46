import type { Coupon, Course, PrismaClient } from '@prisma/client';
import { config } from '../../config.js';
import { BadRequest, Conflict } from '../../lib/errors.js';

export interface Quote {
  listCents: number;
  amountCents: number;
  currency: string;
  couponId: string | null;
}

export function quote(course: Pick<Course, 'priceCents' | 'currency'>, coupon: Coupon | null): Quote {
  const base = course.priceCents / 100;
  const discounted = coupon ? base - base * (coupon.percentOff / 100) : base;
  const gross = Number((discounted * (1 + config.vatBps / 10_000)).toFixed(2));
  return {
    listCents: course.priceCents,
    amountCents: Math.round(gross * 100),
    currency: course.currency,
    couponId: coupon?.id ?? null,
  };
}

export async function redeemCoupon(prisma: PrismaClient, code: string, courseId: string): Promise<Coupon> {
  const coupon = await prisma.coupon.findUnique({ where: { code: code.toUpperCase() } });
  if (!coupon || (coupon.courseId && coupon.courseId !== courseId)) {
    throw new BadRequest('unknown coupon', 'COUPON_INVALID');
  }
  if (coupon.expiresAt && coupon.expiresAt < new Date()) {
    throw new BadRequest('coupon expired', 'COUPON_EXPIRED');
  }
  if (coupon.uses >= coupon.maxUses) {
    throw new Conflict('coupon fully redeemed', 'COUPON_EXHAUSTED');
  }
  return prisma.coupon.update({ where: { id: coupon.id }, data: { uses: coupon.uses + 1 } });
}

export async function reserveSeat(prisma: PrismaClient, courseId: string): Promise<void> {
  const updated = await prisma.$executeRaw`
    UPDATE courses
       SET seats_taken = seats_taken + 1
     WHERE id = ${courseId}
       AND published = true
       AND (capacity IS NULL OR seats_taken < capacity)`;
  if (updated === 0) throw new Conflict('course is sold out', 'SOLD_OUT');
}
