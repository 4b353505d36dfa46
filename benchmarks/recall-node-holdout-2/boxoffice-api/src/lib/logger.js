'use strict';

const pino = require('pino');
const config = require('../config');

const logger = pino({
  level: process.env.LOG_LEVEL || (config.env === 'production' ? 'info' : 'debug'),
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.cardNumber', '*.token'],
    censor: '[redacted]',
  },
  base: { service: 'boxoffice-api' },
});

module.exports = logger;
