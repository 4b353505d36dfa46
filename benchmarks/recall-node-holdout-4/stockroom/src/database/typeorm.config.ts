import { ConfigService } from '@nestjs/config';
import { TypeOrmModuleOptions } from '@nestjs/typeorm';

export function typeOrmOptions(config: ConfigService): TypeOrmModuleOptions {
  return {
    type: 'postgres',
    host: config.getOrThrow<string>('database.host'),
    port: config.get<number>('database.port', 5432),
    database: config.getOrThrow<string>('database.name'),
    username: config.getOrThrow<string>('database.user'),
    password: config.getOrThrow<string>('database.password'),
    autoLoadEntities: true,
    synchronize: false,
    migrationsRun: false,
    logging: config.get<string>('env') === 'development' ? ['query', 'error'] : ['error'],
    extra: {
      max: 20,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      statement_timeout: 15000,
    },
  };
}
