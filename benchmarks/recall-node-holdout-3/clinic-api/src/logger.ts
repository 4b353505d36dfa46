import pino from 'pino';
import { config } from './config';

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (config.env === 'production' ? 'info' : 'debug'),
  redact: {
    paths: [
      'req.headers.authorization',
      'req.headers.cookie',
      'err.config.headers',
      'password',
      '*.password',
      'patient.ssn',
      'patient.insuranceMemberId',
    ],
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;
