import 'dotenv/config';

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
  const parsed = Number.parseInt(raw, 10);
  if (Number.isNaN(parsed)) {
    throw new Error(`Environment variable ${name} must be an integer`);
  }
  return parsed;
}

const env = process.env.NODE_ENV || 'development';

export const config = Object.freeze({
  env,
  isProd: env === 'production',
  port: int('PORT', 8080),
  mongoUrl: required('MONGO_URL'),
  redisUrl: process.env.REDIS_URL || 'redis://localhost:6379/0',
  appBaseUrl: process.env.APP_BASE_URL || 'http://localhost:5173',
  corsOrigins: (process.env.CORS_ORIGINS || '').split(',').map((o) => o.trim()).filter(Boolean),
  jwt: {
    secret: required('JWT_SECRET'),
    refreshSecret: required('JWT_REFRESH_SECRET'),
    accessTtl: process.env.JWT_ACCESS_TTL || '15m',
    refreshTtl: process.env.JWT_REFRESH_TTL || '14d',
    issuer: 'clinicbook',
  },
  webhooks: {
    billingSecret: required('BILLING_WEBHOOK_SECRET'),
    smsSecret: required('SMS_WEBHOOK_SECRET'),
  },
  insurance: {
    baseUrl: process.env.INSURANCE_API_URL || 'https://eligibility.example-clearinghouse.com/v2',
    apiKey: process.env.INSURANCE_API_KEY || '',
  },
  sms: {
    baseUrl: process.env.SMS_API_URL || 'https://api.example-sms.com',
    apiKey: process.env.SMS_API_KEY || '',
    sender: process.env.SMS_SENDER || 'ClinicBook',
  },
  http: {
    defaultTimeoutMs: int('HTTP_TIMEOUT_MS', 5000),
  },
  uploadDir: process.env.UPLOAD_DIR || '/var/lib/clinicbook/uploads',
  exportDir: process.env.EXPORT_DIR || '/var/lib/clinicbook/exports',
  maxUploadBytes: int('MAX_UPLOAD_BYTES', 10 * 1024 * 1024),
  bcryptRounds: int('BCRYPT_ROUNDS', 12),
  pagination: {
    defaultLimit: 25,
    maxLimit: 100,
  },
  reminders: {
    hoursBefore: int('REMINDER_HOURS_BEFORE', 24),
  },
});
