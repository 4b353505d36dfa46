import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { EnrollmentService } from './service.js';

const EnrollmentParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const enrollments = new EnrollmentService(app.prisma);
  app.addHook('preHandler', app.authenticate);

  app.post('/', {
    schema: {
      body: Type.Object({
        courseId: Type.String({ format: 'uuid' }),
        paymentMethod: Type.String({ pattern: '^pm_[A-Za-z0-9]{8,64}$' }),
        coupon: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{4,24}$' })),
      }, { additionalProperties: false }),
    },
  }, async (request, reply) => {
    const { courseId, paymentMethod, coupon } = request.body;
    const enrollment = await enrollments.enroll(request.principal.userId, courseId, paymentMethod, coupon);
    return reply.status(201).send(enrollment);
  });

  app.get('/:id', { schema: { params: EnrollmentParams } }, async (request) => {
    return enrollments.get(request.principal.userId, request.params.id);
  });

  app.post('/:id/cancel', { schema: { params: EnrollmentParams } }, async (request) => {
    return enrollments.cancel(request.principal.userId, request.params.id);
  });

  app.post('/:id/complete', { schema: { params: EnrollmentParams } }, async (request) => {
    return enrollments.complete(request.principal.userId, request.params.id);
  });
};

export default routes;
