import Redis from 'ioredis';
import type { Logger } from './logger';

export function createRedis(url: string, logger: Logger): Redis {
  const client = new Redis(url, {
    connectTimeout: 5_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
  });
  client.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  return client;
}

export type { Redis };
