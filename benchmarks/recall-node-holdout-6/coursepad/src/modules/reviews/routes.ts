import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Prisma } from '@prisma/client';
import { Conflict, Forbidden, NotFound } from '../../lib/errors.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ReviewBody = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  body: Type.String({ minLength: 1, maxLength: 4000 }),
}, { additionalProperties: false });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/courses/:id/reviews', { schema: { params: IdParams } }, async (request) => {
    const reviews = await app.prisma.review.findMany({
      where: { courseId: request.params.id },
      orderBy: { createdAt: 'desc' },
      include: { user: { select: { id: true, name: true, avatarUrl: true } } },
    });
    return { items: reviews };
  });

  app.post('/courses/:id/reviews', {
    preHandler: [app.authenticate],
    schema: { params: IdParams, body: ReviewBody },
  }, async (request, reply) => {
    const { userId } = request.principal;
    const enrolled = await app.prisma.enrollment.count({
      where: { courseId: request.params.id, userId, status: 'ACTIVE' },
    });
    if (enrolled === 0) throw new Forbidden('only enrolled students can review');
    try {
      const review = await app.prisma.review.create({
        data: { courseId: request.params.id, userId, rating: request.body.rating, body: request.body.body },
      });
      return reply.status(201).send(review);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new Conflict('you already reviewed this course');
      }
      throw err;
    }
  });

  app.patch('/reviews/:id', {
    preHandler: [app.authenticate],
    schema: { params: IdParams, body: Type.Partial(ReviewBody, { additionalProperties: false }) },
  }, async (request) => {
    const review = await app.prisma.review.findUnique({ where: { id: request.params.id } });
    if (!review) throw new NotFound('review');
    return app.prisma.review.update({ where: { id: review.id }, data: request.body });
  });

  app.delete('/reviews/:id', { preHandler: [app.authenticate], schema: { params: IdParams } }, async (request, reply) => {
    const where = request.principal.role === 'ADMIN'
      ? { id: request.params.id }
      : { id: request.params.id, userId: request.principal.userId };
    const deleted = await app.prisma.review.deleteMany({ where });
    if (deleted.count === 0) throw new NotFound('review');
    return reply.status(204).send();
  });
};

export default routes;
