'use strict';

/** Integer cents helpers; amounts in requests arrive as decimal strings ("129.90"). */
function parseAmountToCents(input) {
  const s = String(input).trim();
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) {
    throw new Error(`invalid amount ${s}`);
  }
  return Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
}

function applyBps(cents, bps) {
  return Math.round((cents * bps) / 10000);
}

function formatCents(cents, currency = 'EUR') {
  return `${currency} ${(cents / 100).toFixed(2)}`;
}

module.exports = { parseAmountToCents, applyBps, formatCents };
