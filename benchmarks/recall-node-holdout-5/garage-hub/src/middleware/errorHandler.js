'use strict';

const logger = require('../lib/logger');

class AppError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code || 'error';
    this.expose = true;
  }
}

function errorHandler() {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err.name === 'ValidationError' || err.name === 'CastError') {
        ctx.status = 400;
        ctx.body = { error: 'invalid_request', message: 'Request validation failed' };
        return;
      }
      if (err.expose && err.status && err.status < 500) {
        ctx.status = err.status;
        ctx.body = { error: err.code || 'error', message: err.message };
        return;
      }
      logger.error({ err, path: ctx.path, method: ctx.method }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: 'internal', message: 'Internal error' };
    }
  };
}

module.exports = errorHandler;
module.exports.AppError = AppError;
