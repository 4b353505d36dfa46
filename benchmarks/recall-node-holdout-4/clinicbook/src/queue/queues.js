import { Queue } from 'bullmq';
import dayjs from 'dayjs';
import { createQueueConnection } from '../db/redis.js';
import { config } from '../config/index.js';

const connection = createQueueConnection();

export const QUEUE_NAMES = Object.freeze({
  reminders: 'appointment-reminders',
  email: 'transactional-email',
});

const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export const reminderQueue = new Queue(QUEUE_NAMES.reminders, { connection, defaultJobOptions });
export const emailQueue = new Queue(QUEUE_NAMES.email, { connection, defaultJobOptions });

export async function enqueueReminder(appointment) {
  const sendAt = dayjs(appointment.startsAt).subtract(config.reminders.hoursBefore, 'hour');
  const delay = Math.max(0, sendAt.diff(dayjs()));
  await reminderQueue.add(
    'send-reminder',
    { appointmentId: String(appointment._id) },
    { delay, jobId: `reminder-${appointment._id}` },
  );
}

export async function enqueueEmail(payload) {
  await emailQueue.add('send-email', payload);
}
