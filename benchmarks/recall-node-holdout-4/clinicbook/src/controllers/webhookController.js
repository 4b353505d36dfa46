import { config } from '../config/index.js';
import { hmacSha256Hex, safeEqualHex } from '../utils/crypto.js';
import * as billingService from '../services/billingService.js';
import { Appointment, Patient } from '../models/index.js';
import { cancelAppointment } from '../services/appointmentService.js';
import { normalizePhone } from '../utils/strings.js';
import { logger } from '../utils/logger.js';

// Payment processor: signature = hex(HMAC-SHA256(secret, `${timestamp}.${rawBody}`))
export async function billingEvent(req, res) {
  const signature = req.get('X-Processor-Signature') || '';
  const timestamp = req.get('X-Processor-Timestamp') || '';
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!timestamp || Number.isNaN(age) || age > 300) {
    return res.status(400).json({ error: 'stale_event' });
  }
  const expected = hmacSha256Hex(config.webhooks.billingSecret, `${timestamp}.${req.rawBody}`);
  if (!safeEqualHex(signature, expected)) {
    return res.status(401).json({ error: 'bad_signature' });
  }

  const event = req.body;
  if (event.type === 'payment.succeeded') {
    await billingService.markInvoicePaid({
      invoiceNumber: event.data.metadata.invoice_number,
      paymentId: event.data.id,
      amountCents: event.data.amount,
    });
  } else {
    logger.debug({ type: event.type }, 'ignored billing event');
  }
  return res.json({ received: true });
}

// SMS provider posts inbound replies; "C" cancels the next booked appointment.
export async function inboundSms(req, res) {
  const expected = hmacSha256Hex(config.webhooks.smsSecret, req.rawBody);
  if (req.get('X-Sms-Signature') !== expected) {
    return res.status(401).json({ error: 'bad_signature' });
  }

  const from = normalizePhone(req.body.from);
  const text = String(req.body.text || '').trim().toUpperCase();
  if (text !== 'C') {
    return res.json({ handled: false });
  }

  const patient = await Patient.findOne({ phone: from, archived: false }).lean();
  if (!patient) return res.json({ handled: false });

  const next = await Appointment.findOne({
    patient: patient._id,
    status: 'booked',
    startsAt: { $gt: new Date() },
  })
    .sort({ startsAt: 1 })
    .lean();
  if (!next) return res.json({ handled: false });

  const systemActor = { id: null, role: 'patient', patientId: String(patient._id), clinicId: String(patient.clinic) };
  await cancelAppointment(systemActor, next._id, 'Cancelled by SMS reply');
  return res.json({ handled: true });
}
