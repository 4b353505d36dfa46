import { Worker } from 'bullmq';
import { createQueueConnection } from '../db/redis.js';
import { QUEUE_NAMES } from '../queue/queues.js';
import { sendAppointmentReminder } from '../services/notificationService.js';
import { logger } from '../utils/logger.js';

export function startReminderWorker() {
  const worker = new Worker(
    QUEUE_NAMES.reminders,
    async (job) => {
      const result = await sendAppointmentReminder(job.data.appointmentId);
      return result;
    },
    { connection: createQueueConnection(), concurrency: 10 },
  );

  worker.on('failed', (job, err) => {
    logger.error({ jobId: job?.id, err: err.message, attempts: job?.attemptsMade }, 'reminder job failed');
  });
  return worker;
}
