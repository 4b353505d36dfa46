import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { config } from '../config.js';

const producerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 2000, commandTimeout: 2000 });

export const createWorkerConnection = () => new Redis(config.redisUrl, { maxRetriesPerRequest: null });

export interface PayoutJob { payoutId: string }
export interface CertificateJob { enrollmentId: string }

const defaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

export const payoutQueue = new Queue<PayoutJob>('payouts', { connection: producerConnection, defaultJobOptions });
export const certificateQueue = new Queue<CertificateJob>('certificates', { connection: producerConnection, defaultJobOptions });
