import { connectMongo, disconnectMongo } from '../db/mongo.js';
import { startReminderWorker } from './reminderWorker.js';
import { startEmailWorker } from './emailWorker.js';
import { logger } from '../utils/logger.js';

await connectMongo();
const workers = [startReminderWorker(), startEmailWorker()];
logger.info('workers started');

async function shutdown(signal) {
  logger.info({ signal }, 'shutting down workers');
  await Promise.all(workers.map((w) => w.close()));
  await disconnectMongo();
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
