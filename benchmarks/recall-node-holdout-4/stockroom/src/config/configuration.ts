import * as Joi from 'joi';

export const validationSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().default(3000),
  DB_HOST: Joi.string().required(),
  DB_PORT: Joi.number().default(5432),
  DB_NAME: Joi.string().required(),
  DB_USER: Joi.string().required(),
  DB_PASSWORD: Joi.string().required(),
  JWT_SECRET: Joi.string().min(32).required(),
  JWT_TTL: Joi.string().default('30m'),
  CREDENTIALS_KEY: Joi.string().length(64).required(),
  ERP_WEBHOOK_SECRET: Joi.string().min(24).required(),
  CARRIER_WEBHOOK_SECRET: Joi.string().min(24).required(),
  CARRIER_API_URL: Joi.string().uri().required(),
  CARRIER_API_KEY: Joi.string().required(),
  CORS_ORIGINS: Joi.string().default('https://ops.stockroom.example.com'),
  HTTP_TIMEOUT_MS: Joi.number().default(5000),
  LOW_STOCK_CRON: Joi.string().default('0 */30 * * * *'),
});

export default () => ({
  env: process.env.NODE_ENV ?? 'development',
  port: parseInt(process.env.PORT ?? '3000', 10),
  database: {
    host: process.env.DB_HOST,
    port: parseInt(process.env.DB_PORT ?? '5432', 10),
    name: process.env.DB_NAME,
    user: process.env.DB_USER,
    password: process.env.DB_PASSWORD,
  },
  jwt: {
    secret: process.env.JWT_SECRET,
    ttl: process.env.JWT_TTL ?? '30m',
  },
  credentialsKey: process.env.CREDENTIALS_KEY,
  erpWebhookSecret: process.env.ERP_WEBHOOK_SECRET,
  carrierWebhookSecret: process.env.CARRIER_WEBHOOK_SECRET,
  carrier: {
    baseUrl: process.env.CARRIER_API_URL,
    apiKey: process.env.CARRIER_API_KEY,
  },
  corsOrigins: (process.env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  httpTimeoutMs: parseInt(process.env.HTTP_TIMEOUT_MS ?? '5000', 10),
});
