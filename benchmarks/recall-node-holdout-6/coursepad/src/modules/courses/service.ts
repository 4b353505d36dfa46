import type { PrismaClient } from '@prisma/client';
import { Forbidden, NotFound } from '../../lib/errors.js';
import { pageArgs, toPage, type PageQuery } from '../../lib/pagination.js';
import type { CreateCourse, UpdateCourse } from './schemas.js';

const INSTRUCTOR_CARD = { select: { id: true, name: true, avatarUrl: true, bio: true } } as const;

export class CourseService {
  constructor(private readonly prisma: PrismaClient) {}

  async catalog(query: PageQuery) {
    const rows = await this.prisma.course.findMany({
      where: { published: true },
      orderBy: { id: 'asc' },
      include: { instructor: INSTRUCTOR_CARD },
      ...pageArgs(query),
    });
    const page = toPage(rows, query);
    const items = await Promise.all(page.items.map(async (course) => {
      const stats = await this.prisma.review.aggregate({
        where: { courseId: course.id },
        _avg: { rating: true },
        _count: { _all: true },
      });
      return { ...course, rating: stats._avg.rating, reviewCount: stats._count._all };
    }));
    return { items, nextCursor: page.nextCursor };
  }

  async bySlug(slug: string) {
    const course = await this.prisma.course.findFirst({
      where: { slug, published: true },
      include: {
        instructor: INSTRUCTOR_CARD,
        lessons: { orderBy: { position: 'asc' }, select: { id: true, title: true, position: true, durationSec: true } },
      },
    });
    if (!course) throw new NotFound('course');
    return course;
  }

  create(instructorId: string, input: CreateCourse) {
    return this.prisma.course.create({ data: { ...input, instructorId } });
  }

  async ownedBy(courseId: string, instructorId: string) {
    const course = await this.prisma.course.findFirst({ where: { id: courseId, instructorId } });
    if (!course) throw new NotFound('course');
    return course;
  }

  async update(courseId: string, instructorId: string, input: UpdateCourse) {
    const result = await this.prisma.course.updateMany({ where: { id: courseId, instructorId }, data: input });
    if (result.count === 0) throw new NotFound('course');
    return this.prisma.course.findUniqueOrThrow({ where: { id: courseId } });
  }

  async students(courseId: string, query: PageQuery) {
    const rows = await this.prisma.enrollment.findMany({
      where: { courseId, status: 'ACTIVE' },
      orderBy: { id: 'asc' },
      select: { id: true, createdAt: true, completedAt: true, user: { select: { id: true, name: true, email: true } } },
      ...pageArgs(query),
    });
    return toPage(rows, query);
  }

  async invite(courseId: string, instructorId: string, emails: string[]) {
    await this.ownedBy(courseId, instructorId);
    const invited: string[] = [];
    const unknown: string[] = [];
    for (const raw of emails) {
      const email = raw.toLowerCase();
      const user = await this.prisma.user.findUnique({ where: { email }, select: { id: true } });
      if (!user) {
        unknown.push(email);
        continue;
      }
      await this.prisma.enrollment.upsert({
        where: { userId_courseId: { userId: user.id, courseId } },
        create: { userId: user.id, courseId, status: 'ACTIVE', amountCents: 0 },
        update: {},
      });
      invited.push(email);
    }
    return { invited, unknown };
  }

  async assertEnrolled(courseId: string, userId: string) {
    const enrollment = await this.prisma.enrollment.findFirst({
      where: { courseId, userId, status: 'ACTIVE' },
      select: { id: true },
    });
    if (!enrollment) throw new Forbidden('not enrolled in this course');
  }
}
