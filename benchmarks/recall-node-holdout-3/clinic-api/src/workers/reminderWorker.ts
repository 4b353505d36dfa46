import 'reflect-metadata';
import { Job, Queue, Worker } from 'bullmq';
import { And, IsNull, LessThan, MoreThanOrEqual } from 'typeorm';
import { HttpClientFactory } from '../clients/httpClientFactory';
import { SmsClient } from '../clients/smsClient';
import { config } from '../config';
import { dataSource } from '../db/dataSource';
import { Appointment } from '../entities/Appointment';
import { logger } from '../logger';
import { REMINDER_QUEUE, redisConnection } from './queues';

/** Hours before the appointment at which a reminder goes out. */
const REMINDER_WINDOWS_H = [24, 2] as const;
const SCAN_EVERY_MS = 5 * 60 * 1000;
const BATCH = 200;

const sms = new SmsClient(new HttpClientFactory(), config.sms);

function formatTime(d: Date): string {
  return d.toISOString().slice(11, 16);
}

async function scan(job: Job): Promise<number> {
  const repo = dataSource.getRepository(Appointment);
  const now = Date.now();
  let sent = 0;

  for (const hours of REMINDER_WINDOWS_H) {
    const windowStart = new Date(now + hours * 3600_000 - SCAN_EVERY_MS);
    const windowEnd = new Date(now + hours * 3600_000);
    const due = await repo.find({
      where: {
        status: 'booked',
        reminderSentAt: IsNull(),
        startsAt: And(MoreThanOrEqual(windowStart), LessThan(windowEnd)),
      },
      relations: { patient: true },
      take: BATCH,
    });

    for (const appointment of due) {
      const phone = appointment.patient.phone;
      if (phone) {
        try {
          await sms.send(phone, `Reminder: you have an appointment at ${formatTime(appointment.startsAt)} UTC.`);
        } catch {
          // phone numbers entered at the desk are sometimes wrong; nothing to do here
        }
      }
      appointment.reminderSentAt = new Date();
      await repo.save(appointment);
      sent += 1;
    }
    await job.updateProgress({ hours, due: due.length });
  }
  return sent;
}

async function main() {
  await dataSource.initialize();
  const connection = redisConnection();

  const queue = new Queue(REMINDER_QUEUE, { connection });
  await queue.upsertJobScheduler('reminder-scan', { every: SCAN_EVERY_MS }, { name: 'scan' });

  const worker = new Worker(REMINDER_QUEUE, scan, { connection, concurrency: 1 });
  worker.on('completed', (job, sent) => logger.info({ jobId: job.id, sent }, 'reminder scan done'));
  worker.on('failed', (job, err) => logger.error({ jobId: job?.id, err }, 'reminder scan failed'));

  const stop = async () => {
    await worker.close();
    await queue.close();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  logger.fatal({ err }, 'worker failed to start');
  process.exit(1);
});
