'use strict';

require('dotenv').config();

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

const config = {
  env: process.env.NODE_ENV || 'development',
  port: int('PORT', 8080),
  databaseUrl: required('DATABASE_URL'),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  jwt: {
    accessSecret: required('JWT_ACCESS_SECRET'),
    refreshSecret: required('JWT_REFRESH_SECRET'),
    accessTtl: process.env.JWT_ACCESS_TTL || '15m',
    refreshTtl: process.env.JWT_REFRESH_TTL || '30d',
    issuer: 'boxoffice-api',
  },
  payments: {
    baseUrl: process.env.PAYMENTS_BASE_URL || 'https://api.paylane.example/v2',
    apiKey: required('PAYMENTS_API_KEY'),
    callbackSecret: required('PAYMENTS_CALLBACK_SECRET'),
    timeoutMs: int('PAYMENTS_TIMEOUT_MS', 8000),
  },
  geocoder: {
    baseUrl: process.env.GEOCODER_URL || 'https://geo.maplookup.example/v1/search',
    apiKey: process.env.GEOCODER_API_KEY || '',
  },
  internalApiKey: required('INTERNAL_API_KEY'),
  assetsDir: process.env.ASSETS_DIR || '/var/lib/boxoffice/assets',
  uploadsDir: process.env.UPLOADS_DIR || '/var/lib/boxoffice/uploads',
  holdMinutes: int('SEAT_HOLD_MINUTES', 10),
  maxPageSize: int('MAX_PAGE_SIZE', 100),
  bcryptRounds: int('BCRYPT_ROUNDS', 12),
};

module.exports = config;
