import { Invoice, Appointment, Clinic, Patient, LedgerEntry } from '../models/index.js';
import { notFound, conflict, badRequest } from '../utils/errors.js';
import { assertCanAccessPatientRecord, clinicScope } from './accessPolicy.js';
import { redis } from '../db/redis.js';
import { logger } from '../utils/logger.js';

async function nextInvoiceNumber(clinicId) {
  const seq = await redis.incr(`invoice-seq:${clinicId}`);
  return `INV-${String(clinicId).slice(-4).toUpperCase()}-${String(seq).padStart(6, '0')}`;
}

export function computeTotals(lineItems, taxRateBps) {
  const subtotal = lineItems.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  const tax = subtotal * (taxRateBps / 10000);
  const total = Math.round((subtotal + tax) * 100) / 100;
  return { subtotal, tax, total };
}

export async function createInvoiceForAppointment(user, appointmentId, extraItems = []) {
  const appointment = await Appointment.findOne({ _id: appointmentId, ...clinicScope(user) })
    .populate('practitioner', 'displayName')
    .lean();
  if (!appointment) throw notFound('Appointment');
  if (appointment.status !== 'completed') {
    throw conflict('Only completed appointments can be invoiced');
  }
  const existing = await Invoice.findOne({ appointment: appointment._id, status: { $ne: 'void' } }).lean();
  if (existing) return existing;

  const clinic = await Clinic.findById(appointment.clinic).lean();
  const lineItems = [
    {
      description: `Consultation with ${appointment.practitioner.displayName}`,
      code: 'CONSULT',
      quantity: 1,
      unitPrice: appointment.feeCents / 100,
    },
    ...extraItems.map((item) => ({
      description: item.description,
      code: item.code,
      quantity: item.quantity,
      unitPrice: parseFloat(item.unitPrice),
    })),
  ];
  const { subtotal, tax, total } = computeTotals(lineItems, clinic.taxRateBps);

  return Invoice.create({
    number: await nextInvoiceNumber(clinic._id),
    clinic: clinic._id,
    patient: appointment.patient,
    appointment: appointment._id,
    lineItems,
    subtotal,
    tax,
    total,
    status: 'issued',
  });
}

export async function getInvoice(user, invoiceId) {
  const invoice = await Invoice.findById(invoiceId).lean();
  if (!invoice) throw notFound('Invoice');
  assertCanAccessPatientRecord(user, invoice);
  return invoice;
}

export async function listInvoicesForPatient(user, patientId, { skip, limit }) {
  const patient = await Patient.findById(patientId, 'clinic').lean();
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });
  const filter = { patient: patient._id };
  const [items, total] = await Promise.all([
    Invoice.find(filter).sort({ createdAt: -1 }).skip(skip).limit(limit).lean(),
    Invoice.countDocuments(filter),
  ]);
  return { items, total };
}

export async function markInvoicePaid({ invoiceNumber, paymentId, amountCents }) {
  const invoice = await Invoice.findOne({ number: invoiceNumber });
  if (!invoice) throw notFound('Invoice');
  if (invoice.status === 'paid') {
    // Processor retries deliver the same event; treat as success.
    return invoice;
  }
  if (Math.round(invoice.total * 100) !== amountCents) {
    throw badRequest('Amount does not match invoice');
  }
  const updated = await Invoice.findOneAndUpdate(
    { _id: invoice._id, status: 'issued' },
    { $set: { status: 'paid', externalPaymentId: paymentId, paidAt: new Date() } },
    { new: true },
  );
  if (!updated) {
    logger.info({ invoice: invoiceNumber }, 'invoice already transitioned');
    return Invoice.findById(invoice._id);
  }
  await LedgerEntry.create({
    clinic: invoice.clinic,
    patient: invoice.patient,
    kind: 'charge',
    amountCents,
    memo: `Payment ${paymentId} for ${invoiceNumber}`,
  });
  return updated;
}

export async function voidInvoice(user, invoiceId) {
  const invoice = await Invoice.findOneAndUpdate(
    { _id: invoiceId, status: { $in: ['draft', 'issued'] }, ...clinicScope(user) },
    { $set: { status: 'void' } },
    { new: true },
  );
  if (!invoice) throw notFound('Invoice');
  return invoice;
}
