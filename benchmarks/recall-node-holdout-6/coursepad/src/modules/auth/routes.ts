import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { decodeJwt } from 'jose';
import { config } from '../../config.js';
import { AuthService } from './service.js';
import { sendMail } from '../../clients/mailer.js';
import { BadRequest } from '../../lib/errors.js';

const Credentials = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 10, maxLength: 128 }),
}, { additionalProperties: false });

const REFRESH_COOKIE = 'cp_refresh';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = new AuthService(app.prisma);
  const loginLimit = app.rateLimit({
    name: 'login',
    max: 10,
    windowSec: 900,
    key: (req) => `${req.ip}:${String((req.body as { email?: string })?.email ?? '').toLowerCase()}`,
  });
  const accountLimit = app.rateLimit({
    name: 'login-account',
    max: 30,
    windowSec: 3600,
    key: (req) => String((req.body as { email?: string })?.email ?? '').toLowerCase(),
  });
  const resetLimit = app.rateLimit({ name: 'pwreset', max: 5, windowSec: 3600 });
  const registerLimit = app.rateLimit({ name: 'register', max: 20, windowSec: 3600 });

  const setRefreshCookie = (reply: import('fastify').FastifyReply, token: string, expires: Date) =>
    reply.setCookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      secure: config.isProduction,
      sameSite: 'strict',
      path: '/v1/auth',
      expires,
    });

  app.post('/register', {
    preHandler: [registerLimit],
    schema: {
      body: Type.Intersect([Credentials, Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) })]),
    },
  }, async (request, reply) => {
    const user = await auth.register(request.body);
    return reply.status(201).send(user);
  });

  app.post('/login', { preHandler: [loginLimit, accountLimit], schema: { body: Credentials } }, async (request, reply) => {
    const user = await auth.login(request.body.email, request.body.password);
    const tokens = await auth.issueTokens(user);
    setRefreshCookie(reply, tokens.refreshToken, tokens.refreshExpiresAt);
    return { accessToken: tokens.accessToken, user: { id: user.id, name: user.name, role: user.role } };
  });

  app.post('/refresh', async (request, reply) => {
    const token = request.cookies[REFRESH_COOKIE];
    if (!token) throw new BadRequest('missing refresh cookie');
    const tokens = await auth.rotateRefresh(token);
    setRefreshCookie(reply, tokens.refreshToken, tokens.refreshExpiresAt);
    return { accessToken: tokens.accessToken };
  });

  app.post('/password-reset', {
    preHandler: [resetLimit],
    schema: { body: Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) }) },
  }, async (request, reply) => {
    const reset = await auth.createPasswordReset(request.body.email);
    if (reset) {
      request.log.info({ userId: reset.userId, code: reset.code }, 'password reset issued');
      await sendMail({ to: request.body.email, template: 'password-reset', vars: { code: reset.code, ref: reset.resetId } }, request.log);
    }
    return reply.status(202).send({ status: 'if the account exists, a code was sent' });
  });

  app.post('/password-reset/confirm', {
    preHandler: [resetLimit],
    schema: {
      body: Type.Object({
        email: Type.String({ format: 'email', maxLength: 254 }),
        code: Type.String({ pattern: '^[0-9]{6}$' }),
        password: Type.String({ minLength: 10, maxLength: 128 }),
      }),
    },
  }, async (request, reply) => {
    const ok = await auth.confirmPasswordReset(request.body.email, request.body.code, request.body.password);
    if (!ok) throw new BadRequest('invalid or expired code');
    return reply.status(204).send();
  });

  app.post('/verify-email', {
    schema: { body: Type.Object({ token: Type.String({ maxLength: 2048 }) }) },
  }, async (request, reply) => {
    const claims = decodeJwt(request.body.token);
    if (claims.purpose !== 'verify-email' || typeof claims.sub !== 'string') {
      throw new BadRequest('invalid verification token');
    }
    await app.prisma.user.update({ where: { id: claims.sub }, data: { emailVerifiedAt: new Date() } });
    return reply.status(204).send();
  });
};

export default routes;
