'use strict';

const axios = require('axios');
const logger = require('./logger');

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Every outbound client is built here so timeouts and logging are consistent.
 */
function createHttpClient({ name, baseURL, timeoutMs = DEFAULT_TIMEOUT_MS, headers = {} }) {
  const client = axios.create({ baseURL, timeout: timeoutMs, headers, maxRedirects: 0 });

  client.interceptors.request.use((req) => {
    logger.info({ client: name, method: req.method, url: req.url, headers: req.headers, data: req.data }, 'outbound request');
    return req;
  });

  client.interceptors.response.use(
    (res) => res,
    (err) => {
      logger.warn({ client: name, url: err.config && err.config.url, status: err.response && err.response.status }, 'outbound request failed');
      return Promise.reject(err);
    },
  );

  return client;
}

module.exports = { createHttpClient };
