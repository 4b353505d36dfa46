export interface AppConfig {
  port: number;
  db: { host: string; port: number; user: string; password?: string; name: string };
  redis: { host: string; port: number };
  jwt: { accessSecret: string; refreshSecret: string; accessTtl: string; refreshTtl: string };
  payments: { baseUrl: string; apiKey: string; webhookSecret: string; timeoutMs: number };
  fx: { baseUrl: string };
  exports: { dir: string; maxRows: number };
  cors: { origins: string[] };
  billing: { defaultCurrency: string; lowBalanceCents: number };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export default (): AppConfig => ({
  port: parseInt(process.env.PORT ?? '3000', 10),
  db: {
    host: process.env.DB_HOST ?? 'localhost',
    port: parseInt(process.env.DB_PORT ?? '5432', 10),
    user: process.env.DB_USER ?? 'credithub',
    password: process.env.DB_PASSWORD,
    name: process.env.DB_NAME ?? 'credithub',
  },
  redis: {
    host: process.env.REDIS_HOST ?? 'localhost',
    port: parseInt(process.env.REDIS_PORT ?? '6379', 10),
  },
  jwt: {
    accessSecret: required('JWT_ACCESS_SECRET'),
    refreshSecret: required('JWT_REFRESH_SECRET'),
    accessTtl: process.env.JWT_ACCESS_TTL ?? '15m',
    refreshTtl: process.env.JWT_REFRESH_TTL ?? '30d',
  },
  payments: {
    baseUrl: process.env.PAYMENTS_URL ?? 'https://api.paystream.example/v2',
    apiKey: process.env.PAYMENTS_API_KEY ?? 'ps_live_7Hq2VwX9mK4tR8nB3cJ6yL1pD5sF0gZa',
    webhookSecret: required('PAYMENTS_WEBHOOK_SECRET'),
    timeoutMs: parseInt(process.env.PAYMENTS_TIMEOUT_MS ?? '8000', 10),
  },
  fx: {
    baseUrl: process.env.FX_URL ?? 'https://fx.internal.example',
  },
  exports: {
    dir: process.env.EXPORT_DIR ?? '/var/lib/credit-hub/exports',
    maxRows: parseInt(process.env.EXPORT_MAX_ROWS ?? '200000', 10),
  },
  cors: {
    origins: (process.env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
  },
  billing: {
    defaultCurrency: process.env.BILLING_CURRENCY ?? 'USD',
    lowBalanceCents: parseInt(process.env.LOW_BALANCE_CENTS ?? '1000', 10),
  },
});
