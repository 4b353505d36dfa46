import pino from 'pino';
import { config } from './config.js';

export const logger = pino({
  level: config.logLevel,
  base: { service: 'clinic-api' },
  redact: ['req.headers.authorization', '*.password', '*.code', '*.cardToken'],
});
