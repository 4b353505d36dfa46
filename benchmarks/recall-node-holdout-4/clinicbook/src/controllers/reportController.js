import fs from 'node:fs';
import * as reportService from '../services/reportService.js';
import { exportFilePath } from '../services/patientService.js';
import { etagFor } from '../utils/crypto.js';
import { toObjectId } from '../services/patientQuery.js';

export async function appointmentsExport(req, res) {
  const csv = await reportService.appointmentsCsv(req.params.clinicId, req.query);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', 'attachment; filename="appointments.csv"');
  res.send(csv);
}

export async function summary(req, res) {
  const data = await reportService.monthlySummary(toObjectId(req.params.clinicId), req.query.month);
  const body = JSON.stringify(data);
  const tag = etagFor(body);
  if (req.get('If-None-Match') === tag) {
    return res.status(304).end();
  }
  res.setHeader('ETag', tag);
  res.type('application/json').send(body);
}

export async function summaryPdf(req, res) {
  const fileName = await reportService.renderSummaryPdf(toObjectId(req.params.clinicId), {
    month: req.query.month,
    title: req.query.title || `Summary ${req.query.month}`,
  });
  res.status(201).json({ file: fileName, href: `/api/v1/clinics/${req.params.clinicId}/reports/files/${fileName}` });
}

export async function downloadExport(req, res) {
  const filePath = exportFilePath(req.params.fileName);
  const stream = fs.createReadStream(filePath);
  stream.on('error', () => res.status(404).json({ error: 'not_found' }));
  res.type('application/pdf');
  stream.pipe(res);
}

export async function audit(req, res) {
  res.json(await reportService.recentAudit(req.params.clinicId, Number(req.query.limit) || 50));
}
