import * as appointmentService from '../services/appointmentService.js';
import { parsePagination, pageEnvelope } from '../utils/pagination.js';
import { toCents } from '../utils/money.js';

export async function openSlots(req, res) {
  const slots = await appointmentService.listOpenSlots({
    clinicId: req.params.clinicId,
    practitionerId: req.query.practitionerId,
    from: req.query.from,
    to: req.query.to,
  });
  res.json({ items: slots });
}

export async function book(req, res) {
  const { appointment, replayed } = await appointmentService.bookAppointment(req.user, {
    slotId: req.body.slotId,
    patientId: req.body.patientId,
    reason: req.body.reason,
    idempotencyKey: req.get('Idempotency-Key'),
  });
  res.status(replayed ? 200 : 201).json(appointment);
}

export async function hold(req, res) {
  res.json(await appointmentService.holdSlot(req.user, req.params.slotId));
}

export async function get(req, res) {
  res.json(await appointmentService.getAppointment(req.user, req.params.appointmentId));
}

export async function mine(req, res) {
  const paging = parsePagination(req.query);
  const { items, total } = await appointmentService.listMyAppointments(req.user, paging);
  res.json(pageEnvelope(items, total, paging));
}

export async function schedule(req, res) {
  const rows = await appointmentService.dailySchedule(req.user, {
    clinicId: req.params.clinicId,
    date: req.query.date,
  });
  res.json({ date: req.query.date, rows });
}

export async function week(req, res) {
  res.json(await appointmentService.practitionerWeek(req.user, req.params.practitionerId, req.query.weekStart));
}

export async function cancel(req, res) {
  const result = await appointmentService.cancelAppointment(req.user, req.params.appointmentId, req.body.reason);
  res.json(result);
}

export async function prepay(req, res) {
  const amountCents = toCents(req.body.amount);
  res.json(await appointmentService.applyPrepayment(req.user, req.params.appointmentId, amountCents));
}

export async function checkIn(req, res) {
  res.json(await appointmentService.checkIn(req.user, req.params.appointmentId));
}
