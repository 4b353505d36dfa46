import { Worker } from 'bullmq';
import { createQueueConnection } from '../db/redis.js';
import { QUEUE_NAMES } from '../queue/queues.js';
import { getHttpClient } from '../clients/httpClientFactory.js';
import { logger } from '../utils/logger.js';

const mailer = getHttpClient('mailer', {
  baseURL: process.env.MAILER_API_URL || 'https://mail.internal.clinicbook.io',
  headers: { Authorization: `Bearer ${process.env.MAILER_API_KEY || ''}` },
});

export function startEmailWorker() {
  const worker = new Worker(
    QUEUE_NAMES.email,
    async (job) => {
      const { template, to, data } = job.data;
      await mailer.post(
        '/v1/send',
        { template, to, data },
        { headers: { 'Idempotency-Key': `email-${job.id}` } },
      );
    },
    { connection: createQueueConnection(), concurrency: 5 },
  );
  worker.on('failed', (job, err) => {
    logger.error({ jobId: job?.id, template: job?.data?.template, err: err.message }, 'email job failed');
  });
  return worker;
}
