'use strict';

const knex = require('knex');
const config = require('./config');

const db = knex({
  client: 'pg',
  connection: config.databaseUrl,
  pool: { min: 2, max: 10, acquireTimeoutMillis: 10000 },
  acquireConnectionTimeout: 10000,
});

module.exports = db;
