'use strict';

const config = require('../config');
const { createHttpClient } = require('./httpClient');
const { withRetry, isTransientHttpError } = require('../utils/retry');

const http = createHttpClient({
  baseURL: config.email.baseUrl,
  headers: { Authorization: `Bearer ${config.email.apiKey}` },
});

async function sendTemplate(to, template, variables, messageId) {
  return withRetry(
    () =>
      http.post(
        '/v3/messages',
        { from: config.email.from, to, template, variables },
        { headers: { 'Idempotency-Key': messageId } },
      ),
    { retries: 3, baseDelayMs: 250, shouldRetry: isTransientHttpError },
  );
}

module.exports = { sendTemplate };
