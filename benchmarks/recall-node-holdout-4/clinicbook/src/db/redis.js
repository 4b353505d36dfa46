import Redis from 'ioredis';
import { config } from '../config/index.js';
import { logger } from '../utils/logger.js';

// One shared connection for cache/locks; BullMQ gets its own (it needs
// maxRetriesPerRequest: null and blocking commands).
export const redis = new Redis(config.redisUrl, {
  lazyConnect: false,
  connectTimeout: 5000,
  commandTimeout: 2000,
  maxRetriesPerRequest: 2,
});

redis.on('error', (err) => {
  logger.warn({ err: err.message }, 'redis error');
});

export function createQueueConnection() {
  return new Redis(config.redisUrl, { maxRetriesPerRequest: null });
}
