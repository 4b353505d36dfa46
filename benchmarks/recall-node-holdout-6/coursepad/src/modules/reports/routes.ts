import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Prisma } from '@prisma/client';

interface RevenueRow {
  bucket: Date;
  enrollments: bigint;
  gross_cents: bigint;
}

const RevenueQuery = Type.Object({
  granularity: Type.String({ default: 'day', maxLength: 16 }),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  courseIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 50 })),
});

const toNumbers = (rows: RevenueRow[]) =>
  rows.map((r) => ({ bucket: r.bucket, enrollments: Number(r.enrollments), grossCents: Number(r.gross_cents) }));

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/revenue', {
    preHandler: [app.authenticate, app.requireRole('INSTRUCTOR')],
    schema: { querystring: RevenueQuery },
  }, async (request) => {
    const { granularity, from, to } = request.query;
    const rows = await app.prisma.$queryRawUnsafe<RevenueRow[]>(
      `SELECT date_trunc('${granularity}', e.created_at) AS bucket,
              count(*) AS enrollments,
              coalesce(sum(e.amount_cents), 0) AS gross_cents
         FROM enrollments e
         JOIN courses c ON c.id = e.course_id
        WHERE c.instructor_id = $1
          AND e.status = 'ACTIVE'
          AND e.created_at >= $2::date AND e.created_at < $3::date
        GROUP BY 1
        ORDER BY 1`,
      request.principal.userId,
      from,
      to,
    );
    return { granularity, rows: toNumbers(rows) };
  });

  app.get('/courses', {
    preHandler: [app.authenticate, app.requireRole('INSTRUCTOR')],
    schema: { querystring: RevenueQuery },
  }, async (request) => {
    const { from, to, courseIds } = request.query;
    const courseFilter = courseIds?.length
      ? Prisma.sql`AND c.id IN (${Prisma.join(courseIds)})`
      : Prisma.empty;
    const rows = await app.prisma.$queryRaw<Array<{ course_id: string; title: string; enrollments: bigint; gross_cents: bigint }>>`
      SELECT c.id AS course_id, c.title, count(e.id) AS enrollments, coalesce(sum(e.amount_cents), 0) AS gross_cents
        FROM courses c
        LEFT JOIN enrollments e
          ON e.course_id = c.id AND e.status = 'ACTIVE'
         AND e.created_at >= ${from}::date AND e.created_at < ${to}::date
       WHERE c.instructor_id = ${request.principal.userId} ${courseFilter}
       GROUP BY c.id, c.title
       ORDER BY gross_cents DESC
       LIMIT 100`;
    return rows.map((r) => ({ ...r, enrollments: Number(r.enrollments), gross_cents: Number(r.gross_cents) }));
  });

  app.get('/internal/daily', {
    preHandler: [app.requireInternal],
    schema: { querystring: Type.Object({ day: Type.String({ format: 'date' }) }) },
  }, async (request) => {
    const [row] = await app.prisma.$queryRaw<Array<{ enrollments: bigint; gross_cents: bigint; refunds: bigint }>>`
      SELECT count(*) FILTER (WHERE status = 'ACTIVE') AS enrollments,
             coalesce(sum(amount_cents) FILTER (WHERE status = 'ACTIVE'), 0) AS gross_cents,
             count(*) FILTER (WHERE status = 'REFUNDED') AS refunds
        FROM enrollments
       WHERE created_at >= ${request.query.day}::date
         AND created_at < ${request.query.day}::date + interval '1 day'`;
    return { day: request.query.day, enrollments: Number(row.enrollments), grossCents: Number(row.gross_cents), refunds: Number(row.refunds) };
  });
};

export default routes;
