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
  if (Number.isNaN(parsed)) throw new Error(`${name} must be an integer`);
  return parsed;
}

const env = process.env.NODE_ENV ?? 'development';

export const config = {
  env,
  isProduction: env === 'production',
  currency: 'EUR',
  port: int('PORT', 3000),
  trustProxyHops: int('TRUST_PROXY_HOPS', 1),
  logLevel: process.env.LOG_LEVEL ?? 'info',
  databaseUrl: required('DATABASE_URL'),
  redisUrl: required('REDIS_URL'),
  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  jwt: {
    secret: new TextEncoder().encode(required('JWT_SECRET')),
    issuer: process.env.JWT_ISSUER ?? 'https://api.coursepad.dev',
    audience: 'coursepad-web',
    accessTtl: '15m',
    refreshTtlDays: 30,
  },
  payments: {
    baseUrl: required('PAYMENTS_BASE_URL'),
    apiKey: required('PAYMENTS_API_KEY'),
    webhookSecret: required('PAYMENTS_WEBHOOK_SECRET'),
    timeoutMs: int('PAYMENTS_TIMEOUT_MS', 8000),
  },
  video: {
    baseUrl: required('VIDEO_BASE_URL'),
    apiKey: required('VIDEO_API_KEY'),
  },
  mailer: {
    baseUrl: required('MAILER_BASE_URL'),
    apiKey: required('MAILER_API_KEY'),
    timeoutMs: int('MAILER_TIMEOUT_MS', 5000),
  },
  internalToken: required('INTERNAL_API_TOKEN'),
  storageRoot: process.env.STORAGE_ROOT ?? '/var/lib/coursepad',
  platformFeeBps: int('PLATFORM_FEE_BPS', 3000),
  vatBps: int('VAT_BPS', 2000),
  minPayoutCents: int('MIN_PAYOUT_CENTS', 5000),
};

export type AppConfig = typeof config;
