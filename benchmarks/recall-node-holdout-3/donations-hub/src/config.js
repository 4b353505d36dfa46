function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

function int(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number.parseInt(raw, 10);
  if (Number.isNaN(n)) throw new Error(`${name} must be an integer`);
  return n;
}

function list(name) {
  return (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const env = process.env.NODE_ENV ?? 'development';

const config = Object.freeze({
  env,
  isProduction: env === 'production',
  port: int('PORT', 3000),
  publicUrl: process.env.PUBLIC_URL ?? 'http://localhost:3000',
  databaseUrl: required('DATABASE_URL'),
  sessionSecret: required('SESSION_SECRET'),
  widgetOrigins: list('WIDGET_ORIGINS'),
  mediaDir: process.env.MEDIA_DIR ?? '/var/lib/donations-hub/media',
  receiptDir: process.env.RECEIPT_DIR ?? '/var/lib/donations-hub/receipts',
  platformFeeBps: int('PLATFORM_FEE_BPS', 250),
  gateway: {
    baseUrl: process.env.GATEWAY_URL ?? 'https://api.payrail.example/v2',
    secretKey: required('GATEWAY_SECRET_KEY'),
    webhookSecret: required('GATEWAY_WEBHOOK_SECRET'),
    timeoutMs: int('GATEWAY_TIMEOUT_MS', 10_000),
  },
  mail: {
    apiUrl: process.env.MAIL_API_URL ?? 'https://api.postbox.example/v1/messages',
    apiKey: required('MAIL_API_KEY'),
    from: process.env.MAIL_FROM ?? 'receipts@donations.example',
  },
  partnerApiKey: required('PARTNER_API_KEY'),
  payoutCron: process.env.PAYOUT_CRON ?? '15 2 * * *',
});

export default config;
