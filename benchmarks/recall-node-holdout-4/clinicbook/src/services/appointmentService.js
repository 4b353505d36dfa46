import mongoose from 'mongoose';
import dayjs from 'dayjs';
import { Appointment, Slot, Patient, Practitioner, Clinic, LedgerEntry } from '../models/index.js';
import { notFound, conflict, badRequest, forbidden } from '../utils/errors.js';
import { bookingReference } from '../utils/crypto.js';
import { assertCanAccessPatientRecord, clinicScope } from './accessPolicy.js';
import { checkEligibility } from '../clients/insuranceClient.js';
import { enqueueReminder } from '../queue/queues.js';
import { logger } from '../utils/logger.js';

const ACTIVE_STATUSES = ['booked', 'checked_in'];

export async function listOpenSlots({ clinicId, practitionerId, from, to }) {
  const start = dayjs(from).startOf('day');
  const end = to ? dayjs(to).endOf('day') : start.add(7, 'day');
  if (end.diff(start, 'day') > 31) {
    throw badRequest('Date range may not exceed 31 days');
  }
  const filter = {
    clinic: clinicId,
    status: 'open',
    startsAt: { $gte: start.toDate(), $lte: end.toDate() },
  };
  if (practitionerId) filter.practitioner = practitionerId;
  return Slot.find(filter).sort({ startsAt: 1 }).limit(500).lean();
}

async function resolvePatientForBooking(user, requestedPatientId) {
  if (user.role === 'patient') {
    return Patient.findById(user.patientId);
  }
  const patient = await Patient.findById(requestedPatientId);
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });
  return patient;
}

export async function bookAppointment(user, { slotId, patientId, reason, idempotencyKey }) {
  // Keys are namespaced per caller so two users can never collide.
  const scopedKey = idempotencyKey ? `${user.id}:${String(idempotencyKey).slice(0, 100)}` : undefined;
  if (scopedKey) {
    const previous = await Appointment.findOne({ idempotencyKey: scopedKey }).lean();
    if (previous) return { appointment: previous, replayed: true };
  }

  const patient = await resolvePatientForBooking(user, patientId);
  if (!patient) throw notFound('Patient');

  const slot = await Slot.findById(slotId);
  if (!slot || String(slot.clinic) !== String(patient.clinic)) throw notFound('Slot');
  if (slot.status !== 'open') {
    throw conflict('This time is no longer available');
  }

  const practitioner = await Practitioner.findById(slot.practitioner).lean();
  if (patient.insurance?.payerId) {
    const eligibility = await checkEligibility({
      payerId: patient.insurance.payerId,
      memberId: patient.insurance.memberId,
      dateOfBirth: patient.dateOfBirth?.toISOString().slice(0, 10),
      serviceDate: dayjs(slot.startsAt).format('YYYY-MM-DD'),
    });
    if (!eligibility.active) {
      logger.info({ patient: String(patient._id) }, 'booking without active coverage');
    }
  }

  const appointment = await Appointment.create({
    reference: bookingReference(),
    clinic: slot.clinic,
    patient: patient._id,
    practitioner: slot.practitioner,
    slot: slot._id,
    startsAt: slot.startsAt,
    endsAt: slot.endsAt,
    reason,
    feeCents: practitioner.feeCents,
    idempotencyKey: scopedKey,
  });

  slot.status = 'booked';
  slot.appointment = appointment._id;
  await slot.save();

  await enqueueReminder(appointment);
  return { appointment, replayed: false };
}

export async function holdSlot(user, slotId) {
  // Atomic: only flips an open slot; concurrent holds get null.
  const slot = await Slot.findOneAndUpdate(
    { _id: slotId, status: 'open', ...clinicScope(user) },
    { $set: { status: 'held' } },
    { new: true },
  );
  if (!slot) throw conflict('Slot is not open');
  return slot;
}

export async function getAppointment(user, appointmentId) {
  const appointment = await Appointment.findById(appointmentId)
    .populate('practitioner', 'displayName specialty')
    .populate('patient', 'firstName lastName phone email')
    .lean();
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

export async function listMyAppointments(user, { skip, limit }) {
  if (!user.patientId) throw forbidden('Only patients have personal appointments');
  const filter = { patient: user.patientId };
  const [items, total] = await Promise.all([
    Appointment.find(filter)
      .sort({ startsAt: -1 })
      .skip(skip)
      .limit(limit)
      .populate('practitioner', 'displayName specialty')
      .lean(),
    Appointment.countDocuments(filter),
  ]);
  return { items, total };
}

export async function dailySchedule(user, { clinicId, date }) {
  const day = dayjs(date);
  const appointments = await Appointment.find({
    clinic: clinicId,
    status: { $in: ACTIVE_STATUSES },
    startsAt: { $gte: day.startOf('day').toDate(), $lte: day.endOf('day').toDate() },
  })
    .sort({ startsAt: 1 })
    .lean();

  const rows = [];
  for (const appt of appointments) {
    const patient = await Patient.findById(appt.patient, 'firstName lastName phone').lean();
    const practitioner = await Practitioner.findById(appt.practitioner, 'displayName').lean();
    rows.push({
      id: appt._id,
      reference: appt.reference,
      time: dayjs(appt.startsAt).format('HH:mm'),
      patient: patient ? `${patient.lastName}, ${patient.firstName}` : 'unknown',
      phone: patient?.phone,
      practitioner: practitioner?.displayName,
      status: appt.status,
    });
  }
  return rows;
}

export async function practitionerWeek(user, practitionerId, weekStart) {
  const start = dayjs(weekStart).startOf('week');
  return Appointment.find({
    practitioner: practitionerId,
    ...clinicScope(user),
    startsAt: { $gte: start.toDate(), $lt: start.add(7, 'day').toDate() },
  })
    .populate('patient', 'firstName lastName')
    .sort({ startsAt: 1 })
    .lean();
}

export async function cancelAppointment(user, appointmentId, reason) {
  const current = await Appointment.findById(appointmentId).lean();
  if (!current) throw notFound('Appointment');
  assertCanAccessPatientRecord(user, current);

  const appointment = await Appointment.findOneAndUpdate(
    { _id: current._id, status: { $in: ACTIVE_STATUSES } },
    {
      $set: {
        status: 'cancelled',
        cancelledAt: new Date(),
        cancelledBy: user.id,
        cancellationReason: reason,
      },
    },
    { new: true },
  );
  if (!appointment) {
    throw conflict('Appointment cannot be cancelled');
  }

  const clinic = await Clinic.findById(appointment.clinic).lean();
  const hoursUntil = dayjs(appointment.startsAt).diff(dayjs(), 'hour');
  const refundable = user.role !== 'patient' || hoursUntil >= clinic.cancellationWindowHours;
  const refundCents = refundable ? appointment.prepaidCents : 0;

  await Slot.updateOne({ _id: appointment.slot }, { $set: { status: 'open' }, $unset: { appointment: 1 } });

  if (refundCents > 0) {
    await Patient.updateOne({ _id: appointment.patient }, { $inc: { creditCents: refundCents } });
    await LedgerEntry.create({
      clinic: appointment.clinic,
      patient: appointment.patient,
      appointment: appointment._id,
      kind: 'refund',
      amountCents: refundCents,
      memo: `Cancellation of ${appointment.reference}`,
      createdBy: user.id,
    });
  }
  return { appointment, refundCents };
}

export async function applyPrepayment(user, appointmentId, amountCents) {
  const session = await mongoose.startSession();
  try {
    let result;
    await session.withTransaction(async () => {
      const appointment = await Appointment.findById(appointmentId).session(session);
      if (!appointment) throw notFound('Appointment');
      assertCanAccessPatientRecord(user, appointment);

      const patient = await Patient.findOneAndUpdate(
        { _id: appointment.patient, creditCents: { $gte: amountCents } },
        { $inc: { creditCents: -amountCents } },
        { new: true, session },
      );
      if (!patient) throw conflict('Insufficient credit');

      appointment.prepaidCents += amountCents;
      await appointment.save({ session });
      await LedgerEntry.create(
        [
          {
            clinic: appointment.clinic,
            patient: appointment.patient,
            appointment: appointment._id,
            kind: 'prepayment',
            amountCents: -amountCents,
            createdBy: user.id,
          },
        ],
        { session },
      );
      result = { appointment, creditCents: patient.creditCents };
    });
    return result;
  } finally {
    await session.endSession();
  }
}

export async function checkIn(user, appointmentId) {
  const appointment = await Appointment.findOneAndUpdate(
    { _id: appointmentId, status: 'booked', ...clinicScope(user) },
    { $set: { status: 'checked_in' } },
    { new: true },
  );
  if (!appointment) throw notFound('Appointment');
  return appointment;
}
