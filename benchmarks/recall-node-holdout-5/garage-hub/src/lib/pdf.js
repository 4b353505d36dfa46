'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function invoiceHtml(invoice, workshop, customer) {
  const rows = invoice.lines
    .map((l) => `<tr><td>${escapeHtml(l.description)}</td><td>${l.quantity}</td><td>${l.unitPrice.toFixed(2)}</td><td>${l.amount.toFixed(2)}</td></tr>`)
    .join('');
  return `<!doctype html><html><body>
<h1>Invoice ${escapeHtml(invoice.number)}</h1>
<p>${escapeHtml(workshop.name)}<br>${escapeHtml(workshop.address || '')}</p>
<p>Billed to ${escapeHtml(customer.name)}</p>
<table>${rows}</table>
<p>Total: ${invoice.currency} ${invoice.total.toFixed(2)}</p>
</body></html>`;
}

/** Renders the invoice with wkhtmltopdf and returns the output path. */
function renderInvoicePdf(invoice, workshop, customer, outDir) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'inv-'));
  const htmlPath = path.join(tmp, 'invoice.html');
  const outPath = path.join(outDir, `${invoice.number}.pdf`);
  fs.writeFileSync(htmlPath, invoiceHtml(invoice, workshop, customer));
  try {
    execFileSync('wkhtmltopdf', ['--quiet', htmlPath, outPath], { timeout: 20000 });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return outPath;
}

module.exports = { renderInvoicePdf };
