import { createApp } from './app.js';
import { config } from './config/index.js';
import { connectMongo, disconnectMongo } from './db/mongo.js';
import { redis } from './db/redis.js';
import { logger } from './utils/logger.js';

await connectMongo();

const app = createApp();
const server = app.listen(config.port, () => {
  logger.info({ port: config.port, env: config.env }, 'clinicbook api listening');
});
server.headersTimeout = 65_000;
server.requestTimeout = 30_000;

let shuttingDown = false;
async function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, 'draining');
  server.close(async () => {
    await Promise.allSettled([disconnectMongo(), redis.quit()]);
    process.exit(0);
  });
  setTimeout(() => process.exit(1), 15_000).unref();
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
