import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import crypto from 'node:crypto';
import path from 'node:path';
import dayjs from 'dayjs';
import { Appointment, AuditLog } from '../models/index.js';
import { config } from '../config/index.js';
import { redis } from '../db/redis.js';

const execAsync = promisify(exec);

const CSV_COLUMNS = ['reference', 'startsAt', 'status', 'practitioner', 'patient', 'feeCents'];

function csvEscape(value) {
  const s = value === undefined || value === null ? '' : String(value);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function appointmentsCsv(clinicId, { from, to, status }) {
  const filter = { clinic: clinicId };
  if (status) filter.status = String(status);
  if (from || to) {
    filter.startsAt = {};
    if (from) filter.startsAt.$gte = new Date(from);
    if (to) filter.startsAt.$lte = new Date(to);
  }
  const rows = await Appointment.find(filter).sort({ startsAt: 1 }).lean();
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(CSV_COLUMNS.map((c) => csvEscape(row[c])).join(','));
  }
  return lines.join('\n');
}

export async function monthlySummary(clinicId, month) {
  const cacheKey = `summary:${clinicId}:${month}`;
  const cached = await redis.get(cacheKey);
  if (cached) return JSON.parse(cached);

  const start = dayjs(`${month}-01`).startOf('month');
  const summary = await Appointment.aggregate([
    { $match: { clinic: clinicId, startsAt: { $gte: start.toDate(), $lt: start.add(1, 'month').toDate() } } },
    { $group: { _id: '$status', count: { $sum: 1 }, feeCents: { $sum: '$feeCents' } } },
  ]);
  await redis.set(cacheKey, JSON.stringify(summary), 'EX', 600);
  return summary;
}

export async function renderSummaryPdf(clinicId, { month, title }) {
  const summary = await monthlySummary(clinicId, month);
  const html = `<html><body><h1>Monthly summary ${month}</h1><pre>${JSON.stringify(summary, null, 2)}</pre></body></html>`;
  const id = crypto.randomUUID();
  const htmlPath = path.join(config.exportDir, `${id}.html`);
  const pdfName = `${id}.pdf`;
  await fs.writeFile(htmlPath, html);
  await execAsync(`wkhtmltopdf --quiet --title "${title}" ${htmlPath} ${path.join(config.exportDir, pdfName)}`, {
    timeout: 30000,
  });
  await fs.unlink(htmlPath);
  return pdfName;
}

export async function recentAudit(clinicId, limit = 50) {
  return AuditLog.find({ clinic: clinicId }).sort({ createdAt: -1 }).limit(Math.min(limit, 200)).lean();
}
