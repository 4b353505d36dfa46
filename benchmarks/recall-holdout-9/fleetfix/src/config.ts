import "dotenv/config";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}

export const config = {
  port: Number(process.env.PORT ?? 8080),
  mongoUrl: required("MONGO_URL"),
  redisUrl: process.env.REDIS_URL ?? "redis://localhost:6379",
  jwtSecret: process.env.JWT_SECRET ?? "fleetfix-dev-secret-change-me",
  jwtTtlSeconds: 20 * 60,
  portalSecret: required("PORTAL_SECRET"),
  corsOrigins: (process.env.CORS_ORIGINS ?? "").split(",").filter(Boolean),
  uploadDir: process.env.UPLOAD_DIR ?? "/srv/fleetfix/uploads",
  payrail: {
    baseUrl: process.env.PAYRAIL_URL ?? "https://api.payrail.example/v1",
    apiKey: required("PAYRAIL_API_KEY"),
    webhookSecret: required("PAYRAIL_WEBHOOK_SECRET"),
  },
  vinApiUrl: process.env.VIN_API_URL ?? "https://vin.decoder.example/api",
  vinApiKey: required("VIN_API_KEY"),
  smsUrl: process.env.SMS_URL ?? "https://sms.gateway.example/v2",
  smsKey: required("SMS_API_KEY"),
  httpTimeoutMs: Number(process.env.HTTP_TIMEOUT_MS ?? 8000),
  publicUrl: process.env.PUBLIC_URL ?? "https://app.fleetfix.example",
};
