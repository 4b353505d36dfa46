import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NotFound } from '../../lib/errors.js';
import { PageQuery, pageArgs, toPage } from '../../lib/pagination.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const CreateCoupon = Type.Object({
  code: Type.String({ pattern: '^[A-Z0-9]{4,24}$' }),
  courseId: Type.Optional(Type.String({ format: 'uuid' })),
  percentOff: Type.Integer({ minimum: 1, maximum: 100 }),
  maxUses: Type.Integer({ minimum: 1, maximum: 100_000 }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const adminOnly = app.requireRole('ADMIN');

  app.get('/users', {
    preHandler: adminOnly,
    schema: { querystring: Type.Intersect([PageQuery, Type.Object({ search: Type.Optional(Type.String({ maxLength: 100 })) })]) },
  }, async (request) => {
    const { search } = request.query;
    const rows = await app.prisma.user.findMany({
      where: search
        ? { OR: [{ email: { contains: search, mode: 'insensitive' } }, { name: { contains: search, mode: 'insensitive' } }] }
        : undefined,
      orderBy: { id: 'asc' },
      select: { id: true, email: true, name: true, role: true, createdAt: true },
      ...pageArgs(request.query),
    });
    return toPage(rows, request.query);
  });

  app.patch('/users/:id/role', {
    preHandler: adminOnly,
    schema: {
      params: IdParams,
      body: Type.Object({ role: Type.Union([Type.Literal('STUDENT'), Type.Literal('INSTRUCTOR'), Type.Literal('ADMIN')]) }),
    },
  }, async (request) => {
    const [updated] = await app.prisma.$transaction([
      app.prisma.user.updateMany({ where: { id: request.params.id }, data: { role: request.body.role } }),
      app.prisma.refreshSession.updateMany({
        where: { userId: request.params.id, revokedAt: null },
        data: { revokedAt: new Date() },
      }),
    ]);
    if (updated.count === 0) throw new NotFound('user');
    request.log.info({ target: request.params.id, role: request.body.role, by: request.principal.userId }, 'role changed');
    return { id: request.params.id, role: request.body.role };
  });

  app.get('/coupons', { preHandler: adminOnly, schema: { querystring: PageQuery } }, async (request) => {
    const rows = await app.prisma.coupon.findMany({ orderBy: { id: 'asc' }, ...pageArgs(request.query) });
    return toPage(rows, request.query);
  });

  app.post('/coupons', { schema: { body: CreateCoupon } }, async (request, reply) => {
    const { expiresAt, ...rest } = request.body;
    const coupon = await app.prisma.coupon.create({
      data: { ...rest, expiresAt: expiresAt ? new Date(expiresAt) : null, createdById: request.principal.userId },
    });
    return reply.status(201).send(coupon);
  });

  app.post('/courses/:id/publish', { preHandler: adminOnly, schema: { params: IdParams } }, async (request) => {
    const updated = await app.prisma.course.updateMany({ where: { id: request.params.id }, data: { published: true } });
    if (updated.count === 0) throw new NotFound('course');
    return { id: request.params.id, published: true };
  });
};

export default routes;
