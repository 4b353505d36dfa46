import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../../config.js';
import { BadRequest } from '../../lib/errors.js';
import { PageQuery, pageArgs, toPage } from '../../lib/pagination.js';

const PUBLIC_USER = { id: true, email: true, name: true, role: true, bio: true, avatarUrl: true, emailVerifiedAt: true } as const;

const UpdateProfile = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  bio: Type.Optional(Type.String({ maxLength: 2000 })),
  payoutAccount: Type.Optional(Type.String({ pattern: '^[A-Z]{2}[0-9A-Z]{13,32}$' })),
});

const AVATAR_TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('preHandler', app.authenticate);

  app.get('/', async (request) => {
    return app.prisma.user.findUniqueOrThrow({ where: { id: request.principal.userId }, select: PUBLIC_USER });
  });

  app.patch('/', { schema: { body: UpdateProfile } }, async (request) => {
    return app.prisma.user.update({
      where: { id: request.principal.userId },
      data: request.body,
      select: PUBLIC_USER,
    });
  });

  app.post('/avatar/import', {
    schema: { body: Type.Object({ url: Type.String({ format: 'uri', maxLength: 2048 }) }) },
  }, async (request) => {
    const res = await fetch(request.body.url, { signal: AbortSignal.timeout(5000), redirect: 'follow' });
    const ext = AVATAR_TYPES[res.headers.get('content-type') ?? ''];
    if (!res.ok || !ext) throw new BadRequest('url did not return a supported image');
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > MAX_AVATAR_BYTES) throw new BadRequest('image too large');
    const dir = path.join(config.storageRoot, 'avatars');
    const fileName = `${randomUUID()}.${ext}`;
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, fileName), bytes);
    return app.prisma.user.update({
      where: { id: request.principal.userId },
      data: { avatarUrl: `/static/avatars/${fileName}` },
      select: PUBLIC_USER,
    });
  });

  app.get('/enrollments', { schema: { querystring: PageQuery } }, async (request) => {
    const rows = await app.prisma.enrollment.findMany({
      where: { userId: request.principal.userId },
      orderBy: { id: 'asc' },
      include: { course: { select: { id: true, slug: true, title: true } } },
      ...pageArgs(request.query),
    });
    return toPage(rows, request.query);
  });
};

export default routes;
