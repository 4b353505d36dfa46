import 'reflect-metadata';
import { Queue } from 'bullmq';
import { createApp } from './app';
import { HttpClientFactory } from './clients/httpClientFactory';
import { InsuranceClient } from './clients/insuranceClient';
import { PaymentGateway } from './clients/paymentGateway';
import { SmsClient } from './clients/smsClient';
import { config } from './config';
import { Container, TOKENS } from './container';
import { dataSource } from './db/dataSource';
import { logger } from './logger';
import { PatientRepository } from './repositories/PatientRepository';
import { AppointmentService } from './services/AppointmentService';
import { AuthService } from './services/AuthService';
import { BillingService } from './services/BillingService';
import { DocumentService } from './services/DocumentService';
import { PatientService } from './services/PatientService';
import { REMINDER_QUEUE, redisConnection } from './workers/queues';

export function buildContainer(): Container {
  return new Container()
    .register(TOKENS.dataSource, () => dataSource)
    .register(TOKENS.httpFactory, () => new HttpClientFactory())
    .register(TOKENS.insurance, (c) => new InsuranceClient(c.resolve(TOKENS.httpFactory), config.insurance))
    .register(TOKENS.payments, (c) => new PaymentGateway(c.resolve(TOKENS.httpFactory), config.payments))
    .register(TOKENS.sms, (c) => new SmsClient(c.resolve(TOKENS.httpFactory), config.sms))
    .register(TOKENS.patientRepo, (c) => new PatientRepository(c.resolve(TOKENS.dataSource)))
    .register(TOKENS.authService, (c) => new AuthService(c.resolve(TOKENS.dataSource), config))
    .register(
      TOKENS.patientService,
      (c) => new PatientService(c.resolve(TOKENS.patientRepo), c.resolve(TOKENS.insurance), c.resolve(TOKENS.dataSource)),
    )
    .register(
      TOKENS.appointmentService,
      (c) => new AppointmentService(c.resolve(TOKENS.dataSource), c.resolve(TOKENS.patientRepo), c.resolve(TOKENS.sms)),
    )
    .register(
      TOKENS.billingService,
      (c) => new BillingService(c.resolve(TOKENS.dataSource), c.resolve(TOKENS.payments), config.billing),
    )
    .register(
      TOKENS.documentService,
      (c) => new DocumentService(c.resolve(TOKENS.httpFactory), c.resolve(TOKENS.patientService), config),
    )
    .register(TOKENS.reminderQueue, () => new Queue(REMINDER_QUEUE, { connection: redisConnection() }));
}

async function main() {
  await dataSource.initialize();
  const container = buildContainer();
  const app = createApp(container, config);
  const server = app.listen(config.port, () => logger.info({ port: config.port }, 'clinic-api listening'));
  server.headersTimeout = 65_000;
  server.requestTimeout = 30_000;

  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close();
    await container.resolve<Queue>(TOKENS.reminderQueue).close();
    await dataSource.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

if (require.main === module) {
  main().catch((err) => {
    logger.fatal({ err }, 'failed to start');
    process.exit(1);
  });
}
