import mongoose from 'mongoose';
import { config } from '../config/index.js';
import { logger } from '../utils/logger.js';

mongoose.set('strictQuery', true);

export async function connectMongo() {
  await mongoose.connect(config.mongoUrl, {
    maxPoolSize: 20,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30000,
  });
  logger.info({ db: mongoose.connection.name }, 'mongo connected');
  return mongoose.connection;
}

export async function disconnectMongo() {
  await mongoose.disconnect();
}
