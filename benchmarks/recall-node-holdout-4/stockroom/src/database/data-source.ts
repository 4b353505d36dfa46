import 'reflect-metadata';
import { DataSource } from 'typeorm';

// Used by the TypeORM CLI for migrations only.
export default new DataSource({
  type: 'postgres',
  host: process.env.DB_HOST ?? 'localhost',
  port: parseInt(process.env.DB_PORT ?? '5432', 10),
  database: process.env.DB_NAME ?? 'stockroom',
  username: process.env.DB_USER ?? 'stockroom_app',
  password: process.env.DB_PASSWORD,
  entities: ['src/**/*.entity.ts'],
  migrations: ['src/database/migrations/*.ts'],
});
