import fp from 'fastify-plugin';
import { PrismaClient } from '@prisma/client';
import { config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    prisma: PrismaClient;
  }
}

export const prisma = new PrismaClient({
  datasources: { db: { url: config.databaseUrl } },
  log: config.isProduction ? ['warn', 'error'] : ['warn', 'error', 'info'],
});

export default fp(async (app) => {
  await prisma.$connect();
  app.decorate('prisma', prisma);
  app.addHook('onClose', async () => {
    await prisma.$disconnect();
  });
}, { name: 'prisma' });
