'use strict';

const { createApp } = require('./app');
const { connect } = require('./db');
const config = require('./config');
const logger = require('./lib/logger');

async function main() {
  await connect();
  const app = createApp();
  const server = app.listen(config.port, () => logger.info({ port: config.port }, 'garage-hub listening'));
  server.requestTimeout = 30000;
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((err) => {
  logger.error({ err }, 'failed to start');
  process.exit(1);
});
