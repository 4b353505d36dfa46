'use strict';

const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const cors = require('@koa/cors');
const helmet = require('koa-helmet');
const config = require('./config');
const errorHandler = require('./middleware/errorHandler');
const requestLog = require('./middleware/requestLog');

const authRouter = require('./routes/auth');
const workshopsRouter = require('./routes/workshops');
const vehiclesRouter = require('./routes/vehicles');
const bookingsRouter = require('./routes/bookings');
const quotesRouter = require('./routes/quotes');
const invoicesRouter = require('./routes/invoices');
const reviewsRouter = require('./routes/reviews');
const loyaltyRouter = require('./routes/loyalty');
const adminRouter = require('./routes/admin');
const internalRouter = require('./routes/internal');

const allowedOrigins = new Set(config.corsOrigins.map((o) => o.trim()));

function createApp() {
  const app = new Koa();
  app.proxy = true;

  app.use(errorHandler());
  app.use(requestLog());
  app.use(helmet());
  app.use(
    cors({
      origin: (ctx) => (allowedOrigins.has(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      credentials: true,
    }),
  );
  app.use(bodyParser({ jsonLimit: '8mb', formLimit: '100kb', enableTypes: ['json'] }));

  app.use(async (ctx, next) => {
    if (ctx.path === '/healthz') {
      ctx.body = { ok: true };
      return;
    }
    await next();
  });

  for (const router of [
    authRouter,
    workshopsRouter,
    vehiclesRouter,
    bookingsRouter,
    quotesRouter,
    invoicesRouter,
    reviewsRouter,
    loyaltyRouter,
    adminRouter,
    internalRouter,
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }

  return app;
}

module.exports = { createApp };
