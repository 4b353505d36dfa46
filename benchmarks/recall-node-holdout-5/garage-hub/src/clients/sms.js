'use strict';

const config = require('../config');
const { createHttpClient } = require('../lib/httpClient');

const http = createHttpClient({
  name: 'sms',
  baseURL: config.sms.baseURL,
  timeoutMs: 4000,
  headers: { 'X-Api-Key': config.sms.apiKey },
});

async function sendSms(to, text) {
  await http.post('/messages', { to, text, sender: 'GarageHub' });
}

module.exports = { sendSms };
