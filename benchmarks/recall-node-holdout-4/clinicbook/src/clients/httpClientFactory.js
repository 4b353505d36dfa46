import axios from 'axios';
import { config } from '../config/index.js';
import { logger } from '../utils/logger.js';

const clients = new Map();

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Returns a shared axios instance per upstream. Instances are cached so the
 * keep-alive agent and interceptors are set up once per process.
 */
export function getHttpClient(name, { baseURL, headers = {}, timeout } = {}) {
  if (clients.has(name)) return clients.get(name);

  const instance = axios.create({
    baseURL,
    headers: { 'User-Agent': 'clinicbook-api/2.4', ...headers },
    timeout: timeout ?? config.http.defaultTimeoutMs,
    maxContentLength: 5 * 1024 * 1024,
  });

  instance.interceptors.response.use(undefined, async (error) => {
    const cfg = error.config || {};
    const method = (cfg.method || 'get').toLowerCase();
    const retriable = ['get', 'head'].includes(method) || cfg.headers?.['Idempotency-Key'];
    const status = error.response?.status;
    const transient = !status || status === 429 || status >= 502;
    cfg.__attempt = (cfg.__attempt || 0) + 1;

    if (retriable && transient && cfg.__attempt <= 3) {
      const backoff = 200 * 2 ** (cfg.__attempt - 1);
      const jitter = Math.floor(Math.random() * 100);
      await sleep(backoff + jitter);
      return instance(cfg);
    }
    logger.warn({ upstream: name, status, url: cfg.url }, 'upstream call failed');
    throw error;
  });

  clients.set(name, instance);
  return instance;
}
