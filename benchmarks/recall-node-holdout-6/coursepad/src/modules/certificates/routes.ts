import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { certificatePath } from '../../lib/storage.js';
import { NotFound } from '../../lib/errors.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/enrollments/:enrollmentId', {
    preHandler: [app.authenticate],
    schema: { params: Type.Object({ enrollmentId: Type.String({ format: 'uuid' }) }) },
  }, async (request, reply) => {
    const enrollment = await app.prisma.enrollment.findFirst({
      where: { id: request.params.enrollmentId, userId: request.principal.userId },
      select: { id: true },
    });
    if (!enrollment) throw new NotFound('enrollment');
    const certificate = await app.prisma.certificate.findUnique({ where: { enrollmentId: enrollment.id } });
    if (!certificate) throw new NotFound('certificate');
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="certificate-${enrollment.id}.pdf"`)
      .send(createReadStream(certificatePath(certificate.fileName)));
  });

  app.get('/public/:fileName', {
    schema: { params: Type.Object({ fileName: Type.String({ minLength: 5, maxLength: 200 }) }) },
  }, async (request, reply) => {
    const file = certificatePath(request.params.fileName);
    await access(file).catch(() => {
      throw new NotFound('certificate');
    });
    return reply.type('application/pdf').header('cache-control', 'public, max-age=86400').send(createReadStream(file));
  });
};

export default routes;
