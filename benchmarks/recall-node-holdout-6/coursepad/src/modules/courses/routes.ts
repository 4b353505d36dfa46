import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CourseService } from './service.js';
import { CourseParams, CreateCourse, InviteStudents, LessonParams, UpdateCourse, UpdateLesson } from './schemas.js';
import { PageQuery } from '../../lib/pagination.js';
import { etagFor } from '../../lib/tokens.js';
import { openMaterial } from '../../lib/storage.js';
import { createUploadTicket } from '../../clients/video.js';
import { NotFound } from '../../lib/errors.js';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const courses = new CourseService(app.prisma);
  const instructorOnly = { preHandler: [app.authenticate, app.requireRole('INSTRUCTOR', 'ADMIN')] };

  app.get('/', { schema: { querystring: PageQuery } }, async (request) => {
    return courses.catalog(request.query);
  });

  app.get('/:slug', {
    schema: { params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{3,80}$' }) }) },
  }, async (request, reply) => {
    const course = await courses.bySlug(request.params.slug);
    const etag = etagFor([course.id, course.title, course.priceCents, course.lessons.length]);
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.header('etag', etag).send(course);
  });

  app.post('/', { ...instructorOnly, schema: { body: CreateCourse } }, async (request, reply) => {
    const course = await courses.create(request.principal.userId, request.body);
    return reply.status(201).send(course);
  });

  app.patch('/:id', { ...instructorOnly, schema: { params: CourseParams, body: UpdateCourse } }, async (request) => {
    return courses.update(request.params.id, request.principal.userId, request.body);
  });

  app.put('/:id/lessons/:lessonId', { schema: { params: LessonParams, body: UpdateLesson } }, async (request) => {
    const { id, lessonId } = request.params;
    const result = await app.prisma.lesson.updateMany({
      where: { id: lessonId, courseId: id },
      data: request.body,
    });
    if (result.count === 0) throw new NotFound('lesson');
    return app.prisma.lesson.findUniqueOrThrow({ where: { id: lessonId } });
  });

  app.post('/:id/lessons/:lessonId/video-upload', { ...instructorOnly, schema: { params: LessonParams } }, async (request) => {
    const { id, lessonId } = request.params;
    await courses.ownedBy(id, request.principal.userId);
    const lesson = await app.prisma.lesson.findFirst({ where: { id: lessonId, courseId: id } });
    if (!lesson) throw new NotFound('lesson');
    const ticket = await createUploadTicket(id, lessonId);
    await app.prisma.lesson.update({ where: { id: lessonId }, data: { videoAssetId: ticket.assetId } });
    return { uploadUrl: ticket.uploadUrl, expiresAt: ticket.expiresAt };
  });

  app.get('/:id/students', { ...instructorOnly, schema: { params: CourseParams, querystring: PageQuery } }, async (request) => {
    return courses.students(request.params.id, request.query);
  });

  app.post('/:id/invitations', { ...instructorOnly, schema: { params: CourseParams, body: InviteStudents } }, async (request) => {
    return courses.invite(request.params.id, request.principal.userId, request.body.emails);
  });

  app.get('/:id/materials/:name', {
    preHandler: [app.authenticate],
    schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String({ maxLength: 200 }) }) },
  }, async (request, reply) => {
    await courses.assertEnrolled(request.params.id, request.principal.userId);
    const file = await openMaterial(request.params.id, request.params.name);
    return reply
      .header('content-length', file.size)
      .header('content-disposition', 'attachment')
      .type('application/octet-stream')
      .send(file.stream);
  });
};

export default routes;
