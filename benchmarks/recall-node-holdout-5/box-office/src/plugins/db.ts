import fp from 'fastify-plugin';
import knex, { Knex } from 'knex';
import { Pool } from 'pg';
import { config } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    db: Knex;
    pg: Pool;
  }
}

export function createKnex(): Knex {
  return knex({
    client: 'pg',
    connection: config.databaseUrl,
    pool: { min: 2, max: config.dbPoolMax },
    acquireConnectionTimeout: 10_000,
  });
}

export default fp(async (app) => {
  const db = createKnex();
  const pg = new Pool({ connectionString: config.databaseUrl, max: 5, statement_timeout: 30_000 });
  app.decorate('db', db);
  app.decorate('pg', pg);
  app.addHook('onClose', async () => {
    await db.destroy();
    await pg.end();
  });
});
