import { readFileSync } from 'fs';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = Number.parseInt(raw, 10);
  if (Number.isNaN(parsed)) {
    throw new Error(`${name} must be an integer, got "${raw}"`);
  }
  return parsed;
}

function list(name: string): string[] {
  return (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const env = process.env.NODE_ENV ?? 'development';

export const config = {
  env,
  port: int('PORT', 8080),
  db: {
    url: required('DATABASE_URL'),
    poolSize: int('DB_POOL_SIZE', 10),
    statementTimeoutMs: int('DB_STATEMENT_TIMEOUT_MS', 5000),
  },
  redis: {
    url: process.env.REDIS_URL ?? 'redis://localhost:6379',
  },
  jwt: {
    secret: required('JWT_SECRET'),
    issuer: process.env.JWT_ISSUER ?? 'clinic-api',
    ttlSeconds: int('JWT_TTL_SECONDS', 30 * 60),
  },
  cors: {
    origins: list('CORS_ORIGINS'),
    portalOrigins: list('PORTAL_ORIGINS'),
  },
  insurance: {
    baseUrl: process.env.INSURANCE_BASE_URL ?? 'https://eligibility.medbridge-partners.com/v2',
    apiKey: process.env.INSURANCE_API_KEY ?? 'mbp_live_4f9a1c7e20d84b6aa3c5e1f7b9d20c44',
    timeoutMs: int('INSURANCE_TIMEOUT_MS', 4000),
  },
  payments: {
    baseUrl: process.env.PAYMENTS_BASE_URL ?? 'https://api.paylane.example/v1',
    apiKey: required('PAYMENTS_API_KEY'),
    webhookSecret: required('PAYMENTS_WEBHOOK_SECRET'),
    timeoutMs: int('PAYMENTS_TIMEOUT_MS', 8000),
  },
  sms: {
    baseUrl: process.env.SMS_BASE_URL ?? 'https://sms.textrelay.example/api',
    token: required('SMS_TOKEN'),
    sender: process.env.SMS_SENDER ?? 'CLINIC',
  },
  documents: {
    maxBytes: int('DOCUMENT_MAX_BYTES', 10 * 1024 * 1024),
  },
  billing: {
    taxRateBps: int('BILLING_TAX_RATE_BPS', 0),
    currency: process.env.BILLING_CURRENCY ?? 'EUR',
  },
  // PEM bundle of the lab partner's CA, loaded once at start-up.
  labCaBundle: process.env.LAB_CA_PATH ? readFileSync(process.env.LAB_CA_PATH, 'utf8') : undefined,
};

export type AppConfig = typeof config;
