import dayjs from 'dayjs';
import { Appointment } from '../models/index.js';
import { sendSms } from '../clients/smsClient.js';
import { logger } from '../utils/logger.js';

const TEMPLATES = {
  reminder: (a) =>
    `Reminder: ${a.practitioner.displayName} on ${dayjs(a.startsAt).format('ddd D MMM HH:mm')}. Ref ${a.reference}. Reply C to cancel.`,
  cancelled: (a) => `Your appointment ${a.reference} on ${dayjs(a.startsAt).format('D MMM')} was cancelled.`,
};

export async function sendAppointmentReminder(appointmentId) {
  const appointment = await Appointment.findById(appointmentId)
    .populate('patient', 'phone firstName')
    .populate('practitioner', 'displayName')
    .lean();
  if (!appointment || appointment.status !== 'booked' || appointment.reminderSentAt) {
    return { skipped: true };
  }
  if (!appointment.patient?.phone) {
    logger.info({ appointmentId }, 'no phone on file, reminder skipped');
    return { skipped: true };
  }

  try {
    await sendSms({
      to: appointment.patient.phone,
      body: TEMPLATES.reminder(appointment),
      dedupeKey: `reminder-${appointmentId}`,
    });
  } catch (err) {
  }

  await Appointment.updateOne({ _id: appointmentId }, { $set: { reminderSentAt: new Date() } });
  return { skipped: false };
}
