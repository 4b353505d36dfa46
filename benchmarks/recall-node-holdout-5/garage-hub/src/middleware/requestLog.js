'use strict';

const logger = require('../lib/logger');

function requestLog() {
  return async (ctx, next) => {
    const started = Date.now();
    await next();
    logger.info(
      { method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - started, user: ctx.state.user && ctx.state.user.id },
      'request',
    );
  };
}

module.exports = requestLog;
