'use strict';

const rateLimit = require('express-rate-limit');

function validate(schema, source = 'body') {
  return function validator(req, res, next) {
    const { value, error } = schema.validate(req[source], { abortEarly: false, stripUnknown: true });
    if (error) return next(error);
    req[source] = value;
    return next();
  };
}


const loginLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  keyGenerator: (req) => `${req.ip}:${String((req.body && req.body.email) || '').toLowerCase()}`,
  message: { error: 'too_many_attempts' },
});

const passwordResetLimiter = rateLimit({
  windowMs: 60 * 60 * 1000,
  limit: 5,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
  message: { error: 'too_many_attempts' },
});

const publicReadLimiter = rateLimit({
  windowMs: 60 * 1000,
  limit: 300,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
});

module.exports = { validate, loginLimiter, passwordResetLimiter, publicReadLimiter };
