import { buildContainer } from './container';
import { createApp } from './app';

async function main(): Promise<void> {
  const container = buildContainer();
  const { config, logger } = container;
  const app = createApp(container);

  const server = app.listen(config.PORT, () => {
    logger.info({ port: config.PORT, env: config.NODE_ENV }, 'meterline api listening');
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.keepAliveTimeout = 65_000;

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void container.dispose().then(() => process.exit(0));
    });
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error('failed to start', err);
  process.exit(1);
});
