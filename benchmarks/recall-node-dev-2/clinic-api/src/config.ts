import 'dotenv/config';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

export const config = {
  env: process.env.NODE_ENV ?? 'development',
  port: Number(process.env.PORT ?? 8080),
  logLevel: process.env.LOG_LEVEL ?? 'info',
  databaseUrl: required('DATABASE_URL'),
  jwt: {
    secret: required('JWT_SECRET'),
    issuer: 'clinic-api',
    staffTtlSeconds: 30 * 60,
  },
  insurance: {
    baseUrl: required('INSURANCE_API_URL'),
    apiKey: required('INSURANCE_API_KEY'),
  },
  sms: {
    baseUrl: required('SMS_API_URL'),
    apiKey: required('SMS_API_KEY'),
    sender: process.env.SMS_SENDER ?? 'Clinic',
    timeoutMs: Number(process.env.SMS_TIMEOUT_MS ?? 5000),
  },
  payments: {
    baseUrl: required('PAYMENT_GATEWAY_URL'),
    apiKey: required('PAYMENT_GATEWAY_KEY'),
  },
  labProvider: {
    baseUrl: required('LAB_PROVIDER_URL'),
    apiKey: required('LAB_PROVIDER_KEY'),
    timeoutMs: Number(process.env.LAB_PROVIDER_TIMEOUT_MS ?? 10000),
  },
  reminders: {
    hoursAhead: Number(process.env.REMINDER_HOURS_AHEAD ?? 24),
    batchSize: 500,
  },
  otp: {
    ttlMinutes: 10,
  },
};
