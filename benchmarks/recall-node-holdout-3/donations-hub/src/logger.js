import pino from 'pino';
import config from './config.js';

const logger = pino({
  level: process.env.LOG_LEVEL ?? (config.isProduction ? 'info' : 'debug'),
  redact: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.cardToken'],
});

export default logger;
