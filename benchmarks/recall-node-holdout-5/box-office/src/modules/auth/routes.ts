import { FastifyPluginAsync } from 'fastify';
import { AuthService } from './service';

const credentials = {
  type: 'object',
  required: ['email', 'password'],
  additionalProperties: false,
  properties: {
    email: { type: 'string', format: 'email', maxLength: 254 },
    password: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

const authRoutes: FastifyPluginAsync = async (app) => {
  const service = new AuthService(app.db);
  const loginLimit = app.rateLimit({
    name: 'login',
    max: 10,
    windowMs: 15 * 60_000,
    key: (r) => `${r.ip}:${String((r.body as { email?: string })?.email ?? '').toLowerCase()}`,
  });

  app.post<{ Body: { email: string; fullName: string; password: string } }>('/register', {
    preHandler: app.rateLimit({ name: 'register', max: 5, windowMs: 60 * 60_000 }),
    schema: {
      body: {
        type: 'object',
        required: ['email', 'fullName', 'password'],
        additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 254 },
          fullName: { type: 'string', minLength: 1, maxLength: 120 },
          password: { type: 'string', minLength: 12, maxLength: 200 },
        },
      },
    },
    handler: async (request, reply) => {
      const { email, fullName, password } = request.body;
      const result = await service.register(email, fullName, password);
      return reply.code(201).send(result);
    },
  });

  app.post<{ Body: { email: string; password: string } }>('/login', {
    preHandler: loginLimit,
    schema: { body: credentials },
    handler: async (request) => service.login(request.body.email, request.body.password),
  });

  app.get('/me', { onRequest: app.authenticate }, async (request) => service.profile(request.user!.id));
};

export default authRoutes;
