import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import config from '../config.js';
import { pool } from '../db/pool.js';

const PgStore = connectPgSimple(session);

export function sessionMiddleware() {
  return session({
    name: 'dh.sid',
    store: new PgStore({ pool, tableName: 'sessions', createTableIfMissing: true }),
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      secure: config.isProduction,
      // The donate widget runs in an iframe on partner sites.
      sameSite: config.isProduction ? 'none' : 'lax',
      maxAge: 14 * 24 * 3600 * 1000,
    },
  });
}
