import mongoose from "mongoose";
import { config } from "./config";
import { logger } from "./logger";

export async function connectDb(): Promise<void> {
  mongoose.set("strictQuery", true);
  await mongoose.connect(config.mongoUrl, {
    maxPoolSize: 30,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30000,
  });
  logger.info("connected to MongoDB");
}
