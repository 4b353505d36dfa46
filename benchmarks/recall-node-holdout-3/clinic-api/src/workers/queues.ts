import IORedis from 'ioredis';
import { config } from '../config';

export const REMINDER_QUEUE = 'appointment-reminders';

let shared: IORedis | undefined;

/** One connection per process; BullMQ requires maxRetriesPerRequest=null for workers. */
export function redisConnection(): IORedis {
  shared ??= new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  return shared;
}
