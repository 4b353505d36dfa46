import { PrismaClient } from '@prisma/client';
import Stripe from 'stripe';
import type { AxiosInstance } from 'axios';
import { Config, loadConfig } from './config';
import { createLogger, Logger } from './lib/logger';
import { createRedis, Redis } from './lib/redis';
import { createHttpClient } from './lib/http';
import { SecretBox } from './lib/crypto';
import { WorkspaceService } from './services/workspaceService';
import { WalletService } from './services/walletService';
import { InvoiceService } from './services/invoiceService';
import { WebhookService } from './services/webhookService';
import { ReportService } from './services/reportService';
import { UsageService } from './services/usageService';
import { WorkspaceController } from './controllers/workspaceController';
import { BillingController } from './controllers/billingController';
import { WebhookController } from './controllers/webhookController';
import { ReportController } from './controllers/reportController';
import { UsageController } from './controllers/usageController';

/**
 * Hand-rolled composition root: every long-lived client is created exactly once
 * here and injected through constructors.
 */
export interface Container {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  redis: Redis;
  http: AxiosInstance;
  stripe: Stripe;
  services: {
    workspaces: WorkspaceService;
    wallets: WalletService;
    invoices: InvoiceService;
    webhooks: WebhookService;
    reports: ReportService;
    usage: UsageService;
  };
  controllers: {
    workspaces: WorkspaceController;
    billing: BillingController;
    webhooks: WebhookController;
    reports: ReportController;
    usage: UsageController;
  };
  dispose(): Promise<void>;
}

export function buildContainer(config: Config = loadConfig()): Container {
  const logger = createLogger(config.LOG_LEVEL);
  const prisma = new PrismaClient({ datasourceUrl: config.DATABASE_URL });
  const redis = createRedis(config.REDIS_URL, logger);
  const http = createHttpClient({ timeoutMs: config.WEBHOOK_TIMEOUT_MS });
  const stripe = new Stripe(config.STRIPE_API_KEY, { apiVersion: '2024-04-10', timeout: 10_000, maxNetworkRetries: 2 });
  const box = new SecretBox(config.SECRETS_KEY);

  const workspaces = new WorkspaceService(prisma, config, logger);
  const wallets = new WalletService(prisma, stripe, logger);
  const webhooks = new WebhookService(prisma, http, box, logger);
  const invoices = new InvoiceService(prisma, stripe, wallets, webhooks, config, logger);
  const reports = new ReportService(prisma, redis, logger);
  const usage = new UsageService(prisma, redis, logger);

  return {
    config,
    logger,
    prisma,
    redis,
    http,
    stripe,
    services: { workspaces, wallets, invoices, webhooks, reports, usage },
    controllers: {
      workspaces: new WorkspaceController(workspaces),
      billing: new BillingController(wallets, invoices),
      webhooks: new WebhookController(webhooks, wallets, stripe, config, logger),
      reports: new ReportController(reports),
      usage: new UsageController(usage),
    },
    async dispose() {
      await Promise.allSettled([prisma.$disconnect(), redis.quit()]);
    },
  };
}
