'use strict';

const config = require('./config');
const logger = require('./lib/logger');
const db = require('./db');
const { createApp } = require('./app');
const { closeAll } = require('./jobs/queue');

const app = createApp();
const server = app.listen(config.port, () => {
  logger.info({ port: config.port, env: config.env }, 'boxoffice-api listening');
});

server.keepAliveTimeout = 65000;
server.headersTimeout = 66000;

async function shutdown(signal) {
  logger.info({ signal }, 'shutting down');
  server.close(async () => {
    await closeAll();
    await db.destroy();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 15000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
