import { Queue } from "bullmq";
import IORedis from "ioredis";
import { config } from "../config";

export const connection = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });

export const notificationsQueue = new Queue("notifications", {
  connection,
  defaultJobOptions: { attempts: 4, backoff: { type: "exponential", delay: 5000 }, removeOnComplete: 1000 },
});

export const invoicesQueue = new Queue("invoices", { connection });
