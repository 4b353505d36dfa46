'use strict';

const express = require('express');
const helmet = require('helmet');
const cors = require('cors');
const config = require('./config');
const requestContext = require('./middleware/requestContext');
const { notFound, errorHandler } = require('./middleware/errorHandler');

const healthRouter = require('./routes/health');
const webhooksRouter = require('./routes/webhooks');
const authRouter = require('./routes/auth');
const accountRouter = require('./routes/account');
const productsRouter = require('./routes/products');
const ordersRouter = require('./routes/orders');
const adminRouter = require('./routes/admin');

function createApp() {
  const app = express();

  app.disable('x-powered-by');
  app.set('trust proxy', 1);

  app.use(helmet());
  app.use(cors({ origin: config.corsOrigins, credentials: true }));
  app.use(requestContext);

  app.use('/healthz', healthRouter);
  // Webhooks need the raw body for signature checks, so they are mounted before the JSON parser.
  app.use('/webhooks', webhooksRouter);

  app.use(express.json({ limit: '100kb' }));

  app.use('/auth', authRouter);
  app.use('/account', accountRouter);
  app.use('/products', productsRouter);
  app.use('/orders', ordersRouter);
  app.use('/admin', adminRouter);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}

module.exports = { createApp };
