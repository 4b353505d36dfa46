'use strict';

require('dotenv').config();

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`Missing required environment variable ${name}`);
  }
  return value;
}

module.exports = {
  env: process.env.NODE_ENV || 'development',
  port: Number(process.env.PORT || 3000),
  logLevel: process.env.LOG_LEVEL || 'info',
  mongoUri: process.env.MONGO_URI || 'mongodb://localhost:27017/orderhub',
  redisUrl: process.env.REDIS_URL || 'redis://localhost:6379',
  corsOrigins: (process.env.CORS_ORIGINS || 'http://localhost:5173')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean),
  jwt: {
    secret: required('JWT_SECRET'),
    refreshSecret: required('JWT_REFRESH_SECRET'),
    issuer: 'order-hub',
    accessTtl: '15m',
    refreshTtl: '7d',
  },
  payments: {
    baseUrl: required('PAYMENTS_BASE_URL'),
    apiKey: required('PAYMENTS_API_KEY'),
  },
  shipping: {
    baseUrl: required('SHIPPING_BASE_URL'),
    apiKey: required('SHIPPING_API_KEY'),
    webhookSecret: required('SHIPPING_WEBHOOK_SECRET'),
  },
  email: {
    baseUrl: required('EMAIL_BASE_URL'),
    apiKey: required('EMAIL_API_KEY'),
    from: process.env.EMAIL_FROM || 'orders@shop.example.com',
  },
  tax: {
    baseUrl: required('TAX_SERVICE_URL'),
  },
  storefrontUrl: process.env.STOREFRONT_URL || 'http://localhost:5173',
  orders: {
    maxLineItems: Number(process.env.ORDERS_MAX_LINE_ITEMS || 50),
    defaultCurrency: 'USD',
  },
};
