import * as billingService from '../services/billingService.js';
import { parsePagination, pageEnvelope } from '../utils/pagination.js';

export async function invoiceAppointment(req, res) {
  const invoice = await billingService.createInvoiceForAppointment(
    req.user,
    req.params.appointmentId,
    req.body.extraItems,
  );
  res.status(201).json(invoice);
}

export async function getInvoice(req, res) {
  res.json(await billingService.getInvoice(req.user, req.params.invoiceId));
}

export async function patientInvoices(req, res) {
  const paging = parsePagination(req.query);
  const { items, total } = await billingService.listInvoicesForPatient(req.user, req.params.patientId, paging);
  res.json(pageEnvelope(items, total, paging));
}

export async function voidInvoice(req, res) {
  res.json(await billingService.voidInvoice(req.user, req.params.invoiceId));
}
