import { createApp } from './app.js';
import { config } from './config.js';
import { pool } from './db.js';
import { startScheduler } from './jobs/scheduler.js';
import { logger } from './logger.js';

const app = createApp();
const server = app.listen(config.port, () => {
  logger.info({ port: config.port }, 'clinic-api listening');
});

if (process.env.RUN_SCHEDULER !== 'false') {
  startScheduler();
}

async function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close();
  await pool.end();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
