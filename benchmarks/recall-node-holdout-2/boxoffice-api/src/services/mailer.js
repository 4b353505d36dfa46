'use strict';

const fs = require('fs');
const path = require('path');
const { createHttpClient } = require('../lib/httpClient');
const logger = require('../lib/logger');

const TEMPLATE_DIR = path.join(__dirname, '..', '..', 'templates');
const templates = {
  passwordReset: [
    'Hi,',
    '',
    'Someone asked to reset the password of your BoxOffice account.',
    'Follow this link within 30 minutes to choose a new one:',
    '',
    '{{resetUrl}}',
    '',
    'If this was not you, you can ignore this message.',
  ].join('\n'),
  tickets: fs.readFileSync(path.join(TEMPLATE_DIR, 'tickets.txt'), 'utf8'),
};

const mailApi = createHttpClient({
  baseURL: process.env.MAIL_API_URL || 'https://api.mailrelay.example/v3',
  timeoutMs: 4000,
  headers: { Authorization: `Bearer ${process.env.MAIL_API_KEY || ''}` },
});

function render(template, vars) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => (vars[key] === undefined ? '' : String(vars[key])));
}

async function send(to, subject, text) {
  await mailApi.post('/messages', { from: 'tickets@boxoffice.example', to, subject, text });
}

async function sendPasswordReset(to, resetUrl) {
  await send(to, 'Reset your BoxOffice password', render(templates.passwordReset, { resetUrl }));
}

async function sendTickets(to, { name, eventTitle, startsAt, codes }) {
  try {
    await send(to, `Your tickets for ${eventTitle}`, render(templates.tickets, {
      name,
      eventTitle,
      startsAt: new Date(startsAt).toUTCString(),
      codes: codes.join('\n'),
    }));
  } catch (err) {
    logger.warn({ err: err.message, to: '[redacted]' }, 'ticket email failed; job will retry');
    throw err;
  }
}

module.exports = { sendPasswordReset, sendTickets };
