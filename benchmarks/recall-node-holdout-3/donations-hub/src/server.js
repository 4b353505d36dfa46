import { createApp } from './app.js';
import config from './config.js';
import { pool } from './db/pool.js';
import { schedulePayouts } from './jobs/settlePayouts.js';
import logger from './logger.js';

const app = createApp();
const server = app.listen(config.port, () => {
  logger.info({ port: config.port, env: config.env }, 'donations-hub listening');
});
server.requestTimeout = 30_000;

const payoutTask = process.env.DISABLE_CRON === '1' ? null : schedulePayouts();

async function shutdown(signal) {
  logger.info({ signal }, 'shutting down');
  payoutTask?.stop();
  server.close(async () => {
    await pool.end();
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 10_000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
