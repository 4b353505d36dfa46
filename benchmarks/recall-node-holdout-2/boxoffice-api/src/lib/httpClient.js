'use strict';

const axios = require('axios');
const logger = require('./logger');

const RETRYABLE_STATUS = new Set([502, 503, 504]);

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Creates an axios instance for an upstream dependency. Every instance gets a
 * timeout; callers may override it but cannot remove it.
 */
function createHttpClient({ baseURL, timeoutMs = 5000, headers = {} }) {
  const instance = axios.create({
    baseURL,
    timeout: timeoutMs,
    headers: { 'User-Agent': 'boxoffice-api/2.7', ...headers },
  });
  return instance;
}

/**
 * Retries idempotent GETs on gateway errors. Bounded, with exponential backoff
 * and jitter.
 */
async function getWithRetry(client, url, options = {}, maxAttempts = 3) {
  let attempt = 0;
  for (;;) {
    attempt += 1;
    try {
      return await client.get(url, options);
    } catch (err) {
      const status = err.response && err.response.status;
      const retryable = !status || RETRYABLE_STATUS.has(status);
      if (!retryable || attempt >= maxAttempts) {
        throw err;
      }
      const backoff = 200 * 2 ** (attempt - 1);
      const jitter = Math.floor(Math.random() * 100);
      logger.debug({ url, attempt, status }, 'retrying upstream GET');
      await sleep(backoff + jitter);
    }
  }
}

module.exports = { createHttpClient, getWithRetry };
