'use strict';

const express = require('express');
const Joi = require('joi');
const userService = require('../services/userService');
const tokens = require('../lib/tokens');
const config = require('../config');
const logger = require('../lib/logger');
const { validate, loginLimiter, passwordResetLimiter } = require('../middleware/request');
const { HttpError } = require('../middleware/auth');

const router = express.Router();

const REFRESH_COOKIE = 'bo_refresh';
const refreshCookieOptions = {
  httpOnly: true,
  secure: config.env !== 'development',
  sameSite: 'strict',
  path: '/auth',
  maxAge: 30 * 24 * 3600 * 1000,
};

const registerSchema = Joi.object({
  email: Joi.string().email().max(320).required(),
  password: Joi.string().min(10).max(128).required(),
  displayName: Joi.string().max(120).allow(''),
});

const loginSchema = Joi.object({
  email: Joi.string().email().max(320).required(),
  password: Joi.string().max(128).required(),
});

function issueSession(res, user) {
  res.cookie(REFRESH_COOKIE, tokens.signRefreshToken(user), refreshCookieOptions);
  return { accessToken: tokens.signAccessToken(user), user };
}

router.post('/register', validate(registerSchema), async (req, res, next) => {
  try {
    const user = await userService.register(req.body);
    res.status(201).json(issueSession(res, user));
  } catch (err) {
    next(err);
  }
});

router.post('/login', loginLimiter, validate(loginSchema), async (req, res, next) => {
  try {
    const user = await userService.authenticate(req.body.email, req.body.password);
    logger.info({ userId: user.id }, 'login succeeded');
    res.json(issueSession(res, user));
  } catch (err) {
    next(err);
  }
});

router.post('/refresh', async (req, res, next) => {
  try {
    const raw = req.cookies && req.cookies[REFRESH_COOKIE];
    const claims = raw && tokens.readRefreshToken(raw);
    if (!claims) throw new HttpError(401, 'Session expired', 'unauthenticated');
    const user = await userService.getById(Number(claims.sub));
    res.json(issueSession(res, user));
  } catch (err) {
    next(err);
  }
});

router.post('/logout', (req, res) => {
  res.clearCookie(REFRESH_COOKIE, { path: '/auth' });
  res.status(204).end();
});

router.post('/password-reset', passwordResetLimiter, validate(Joi.object({ email: Joi.string().email().required() })),
  async (req, res, next) => {
    try {
      await userService.requestPasswordReset(req.body.email);
      res.status(202).json({ message: 'If the address is registered, a reset link is on its way.' });
    } catch (err) {
      next(err);
    }
  });

router.post('/password-reset/confirm', passwordResetLimiter,
  validate(Joi.object({ token: Joi.string().hex().length(64).required(), password: Joi.string().min(10).max(128).required() })),
  async (req, res, next) => {
    try {
      await userService.resetPassword(req.body.token, req.body.password);
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  });

module.exports = router;
