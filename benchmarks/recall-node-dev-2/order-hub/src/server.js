'use strict';

const config = require('./config');
const logger = require('./logger');
const db = require('./db');
const { createApp } = require('./app');

async function main() {
  await db.connect();
  const app = createApp();
  const server = app.listen(config.port, () => {
    logger.info('order-hub listening', { port: config.port, env: config.env });
  });

  const shutdown = (signal) => {
    logger.info('shutting down', { signal });
    server.close(async () => {
      await db.disconnect();
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  logger.error('failed to start', { err: err.message, stack: err.stack });
  process.exit(1);
});
