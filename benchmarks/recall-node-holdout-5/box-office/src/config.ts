function int(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(n)) {
    throw new Error(`${name} must be an integer`);
  }
  return n;
}

function must(name: string): string {
  const v = process.env[name];
  if (!v) {
    throw new Error(`${name} is required`);
  }
  return v;
}

export const config = {
  env: process.env.NODE_ENV ?? 'development',
  port: int('PORT', 8080),
  databaseUrl: must('DATABASE_URL'),
  dbPoolMax: int('DB_POOL_MAX', 15),
  jwtSecret: process.env.JWT_SECRET || 'b0x0ff1ce-signing-key-2023',
  jwtIssuer: 'box-office',
  corsOrigins: (process.env.CORS_ORIGINS ?? 'https://tickets.example.com').split(','),
  bodyLimitBytes: int('BODY_LIMIT_BYTES', 256 * 1024),
  mediaRoot: process.env.MEDIA_ROOT ?? '/srv/box-office/media',
  ticketPdfRoot: process.env.TICKET_PDF_ROOT ?? '/srv/box-office/tickets',
  payments: {
    baseUrl: process.env.PAYMENTS_BASE_URL ?? 'https://api.payrail.example',
    apiKey: must('PAYMENTS_API_KEY'),
    webhookSecret: must('PAYMENTS_WEBHOOK_SECRET'),
    timeoutMs: int('PAYMENTS_TIMEOUT_MS', 10_000),
  },
  seatmap: {
    baseUrl: process.env.SEATMAP_BASE_URL ?? 'https://seatmaps.internal.example',
  },
  mailer: {
    baseUrl: process.env.MAILER_BASE_URL ?? 'https://mail.internal.example',
    apiKey: must('MAILER_API_KEY'),
  },
  platformFeeBps: int('PLATFORM_FEE_BPS', 350),
  fixedFeeCents: int('FIXED_FEE_CENTS', 99),
  holdMinutes: int('HOLD_MINUTES', 10),
};

export type AppConfig = typeof config;
