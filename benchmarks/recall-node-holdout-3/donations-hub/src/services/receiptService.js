import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../config.js';
import { HttpError } from '../middleware/guards.js';
import { donations } from '../repositories/index.js';
import { escapeHtml } from '../util/html.js';
import { formatCents } from '../util/money.js';

const TEMPLATE = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), '../templates/receipt.html'),
  'utf8',
);

function render(vars) {
  return TEMPLATE.replace(/\{\{(\w+)\}\}/g, (_m, key) => escapeHtml(vars[key]));
}

export async function receiptPdf(donationId) {
  const donation = await donations.findById(donationId);
  if (!donation || donation.status !== 'succeeded') {
    throw new HttpError(404, 'Receipt not found', 'not_found');
  }
  const receiptNo = `DH-${String(donation.id).padStart(8, '0')}`;
  const html = render({
    receiptNo,
    issuedAt: new Date().toISOString().slice(0, 10),
    donorName: donation.donor_name ?? donation.public_name ?? 'Donor',
    donorAddress: [donation.address_line, donation.postcode, donation.city, donation.country].filter(Boolean).join(', '),
    campaignTitle: donation.campaign_title,
    amount: formatCents(donation.amount_cents, donation.currency),
    matched: formatCents(donation.matched_cents, donation.currency),
    donatedAt: donation.created_at.toISOString().slice(0, 10),
  });

  await mkdir(config.receiptDir, { recursive: true });
  const base = path.join(config.receiptDir, `receipt-${Number(donation.id)}`);
  await writeFile(`${base}.html`, html);
  execFileSync('wkhtmltopdf', ['--quiet', '--encoding', 'utf-8', `${base}.html`, `${base}.pdf`], {
    timeout: 30_000,
  });
  return { fileName: `${receiptNo}.pdf`, body: await readFile(`${base}.pdf`) };
}
