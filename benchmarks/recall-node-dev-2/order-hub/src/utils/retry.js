'use strict';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withRetry(fn, { retries = 3, baseDelayMs = 200, maxDelayMs = 2000, shouldRetry = () => true } = {}) {
  let attempt = 0;
  for (;;) {
    try {
      return await fn(attempt);
    } catch (err) {
      attempt += 1;
      if (attempt > retries || !shouldRetry(err)) throw err;
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const jitter = Math.floor(Math.random() * backoff * 0.3);
      await sleep(backoff + jitter);
    }
  }
}

function isTransientHttpError(err) {
  if (!err.response) return ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED'].includes(err.code);
  return err.response.status >= 500 || err.response.status === 429;
}

module.exports = { withRetry, isTransientHttpError, sleep };
