import { z } from 'zod';

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().positive().default(3000),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default('redis://localhost:6379'),
  JWT_SECRET: z.string().min(32),
  JWT_ISSUER: z.string().default('https://auth.meterline.io/'),
  JWT_AUDIENCE: z.string().default('meterline-api'),
  INVITE_SECRET: z.string().min(32),
  SECRETS_KEY: z.string().regex(/^[0-9a-f]{64}$/, 'SECRETS_KEY must be 32 bytes hex'),
  STRIPE_API_KEY: z.string().startsWith('sk_'),
  STRIPE_WEBHOOK_SECRET: z.string().default('whsec_5f3b9c1e7a2d4e6f8a0b1c2d3e4f5a6b'),
  CORS_ORIGINS: z
    .string()
    .default('https://app.meterline.io')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  FX_API_URL: z.string().url().default('https://fx.ratesource.example/v1/latest'),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  MAX_PAGE_SIZE: z.coerce.number().int().positive().default(100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export type Config = z.infer<typeof EnvSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
