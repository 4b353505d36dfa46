import { buildApp } from "./app";
import { config } from "./config";
import { connectDb } from "./db";
import { logger } from "./logger";

async function main() {
  await connectDb();
  const server = buildApp().listen(config.port, () => logger.info({ port: config.port }, "fleetfix api listening"));
  server.requestTimeout = 30_000;
  server.headersTimeout = 35_000;
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

main().catch((err) => {
  logger.fatal({ err }, "failed to start");
  process.exit(1);
});
