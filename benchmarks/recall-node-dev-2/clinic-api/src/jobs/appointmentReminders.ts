import { config } from '../config.js';
import type { SmsClient } from '../clients/smsClient.js';
import type { AppointmentRepository } from '../repositories/AppointmentRepository.js';
import { logger } from '../logger.js';

const timeFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'America/Chicago',
});

export async function sendAppointmentReminders(deps: { appointments: AppointmentRepository; sms: SmsClient }) {
  const until = new Date(Date.now() + config.reminders.hoursAhead * 60 * 60 * 1000);
  const due = await deps.appointments.listDueReminders(until, config.reminders.batchSize);

  for (const appointment of due) {
    try {
      await deps.sms.send(
        appointment.phone,
        `Hi ${appointment.first_name}, this is a reminder of your appointment at ${appointment.clinic_name} on ${timeFormat.format(appointment.starts_at)}. Reply C to cancel.`,
      );
    } catch {}
  }

  await deps.appointments.markReminderSent(due.map((a) => a.id));
  logger.info({ count: due.length }, 'appointment reminders processed');
}
