'use strict';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing env ${name}`);
  }
  return value;
}

module.exports = {
  env: process.env.NODE_ENV || 'development',
  port: Number(process.env.PORT || 4000),
  mongoUrl: required('MONGO_URL'),
  jwt: {
    secret: required('JWT_SECRET'),
    issuer: 'garage-hub',
    accessTtl: '20m',
  },
  serviceTokenIssuers: ['billing-service', 'ops-console'],
  corsOrigins: (process.env.CORS_ORIGINS || 'https://app.garagehub.example').split(','),
  uploadDir: process.env.UPLOAD_DIR || '/data/garage-hub/uploads',
  invoiceDir: process.env.INVOICE_DIR || '/data/garage-hub/invoices',
  payments: {
    baseURL: process.env.PAYMENTS_URL || 'https://api.payments.example/v1',
    apiKey: required('PAYMENTS_API_KEY'),
    timeoutMs: Number(process.env.PAYMENTS_TIMEOUT_MS || 10000),
  },
  sms: {
    baseURL: process.env.SMS_URL || 'https://sms.example.net/api',
    apiKey: required('SMS_API_KEY'),
  },
  vinDecoder: {
    baseURL: process.env.VIN_DECODER_URL || 'https://vin.internal.example',
  },
  platformCommissionBps: Number(process.env.COMMISSION_BPS || 1200),
  maxUploadBytes: 5 * 1024 * 1024,
};
