import cron from 'node-cron';
import { clients, repositories, services } from '../container.js';
import { logger } from '../logger.js';
import { sendAppointmentReminders } from './appointmentReminders.js';

const running = new Set<string>();

function schedule(name: string, expression: string, task: () => Promise<unknown>) {
  cron.schedule(expression, async () => {
    if (running.has(name)) {
      logger.warn({ job: name }, 'previous run still in progress, skipping');
      return;
    }
    running.add(name);
    const started = Date.now();
    try {
      await task();
      logger.info({ job: name, ms: Date.now() - started }, 'job finished');
    } catch (err) {
      logger.error({ err, job: name }, 'job failed');
    } finally {
      running.delete(name);
    }
  });
}

export function startScheduler() {
  schedule('appointment-reminders', '*/15 * * * *', () =>
    sendAppointmentReminders({ appointments: repositories.appointments, sms: clients.sms }),
  );
  schedule('lab-sync', '*/10 * * * *', () => services.labResults.syncFromProvider());
  logger.info('scheduler started');
}
