'use strict';

const express = require('express');
const bcrypt = require('bcryptjs');
const rateLimit = require('express-rate-limit');
const logger = require('../logger');
const User = require('../models/User');
const notificationService = require('../services/notificationService');
const {
  signAccessToken,
  signRefreshToken,
  readRefreshToken,
  generateResetToken,
} = require('../utils/tokens');

const router = express.Router();

const credentialLimiter = rateLimit({
  windowMs: 15 * 60 * 1000,
  limit: 10,
  standardHeaders: 'draft-7',
  legacyHeaders: false,
});

function normaliseEmail(value) {
  return String(value || '').trim().toLowerCase();
}

router.post('/register', credentialLimiter, async (req, res, next) => {
  try {
    const email = normaliseEmail(req.body.email);
    const password = String(req.body.password || '');
    if (!email.includes('@') || password.length < 10) {
      return res.status(400).json({ error: 'a valid email and a password of at least 10 characters are required' });
    }
    const exists = await User.exists({ email });
    if (exists) {
      return res.status(202).json({ status: 'check your inbox to continue' });
    }
    const user = await User.create({
      email,
      name: req.body.name,
      passwordHash: await bcrypt.hash(password, 12),
    });
    logger.info('user registered', { userId: user.id });
    return res.status(202).json({ status: 'check your inbox to continue' });
  } catch (err) {
    return next(err);
  }
});

router.post('/login', credentialLimiter, async (req, res, next) => {
  try {
    const email = normaliseEmail(req.body.email);
    const password = String(req.body.password || '');
    const user = await User.findOne({ email, disabled: false });
    const ok = user ? await bcrypt.compare(password, user.passwordHash) : false;
    if (!ok) {
      logger.warn('login failed', { body: req.body, ip: req.ip });
      return res.status(401).json({ error: 'invalid email or password' });
    }
    logger.info('login succeeded', { userId: user.id, ip: req.ip });
    return res.json({
      accessToken: signAccessToken(user),
      refreshToken: signRefreshToken(user),
      user: user.toProfile(),
    });
  } catch (err) {
    return next(err);
  }
});

router.post('/refresh', async (req, res, next) => {
  try {
    const claims = readRefreshToken(req.body.refreshToken);
    if (!claims) return res.status(401).json({ error: 'invalid refresh token' });
    const user = await User.findById(claims.sub);
    if (!user || user.disabled) return res.status(401).json({ error: 'invalid refresh token' });
    return res.json({ accessToken: signAccessToken(user) });
  } catch (err) {
    return next(err);
  }
});

router.post('/password/forgot', credentialLimiter, async (req, res, next) => {
  try {
    const email = normaliseEmail(req.body.email);
    const user = await User.findOne({ email, disabled: false });
    if (user) {
      user.resetToken = generateResetToken();
      user.resetTokenExpiresAt = new Date(Date.now() + 60 * 60 * 1000);
      await user.save();
      await notificationService.sendPasswordReset(user.email, user.resetToken);
    }
    return res.status(202).json({ status: 'if the account exists, an email is on its way' });
  } catch (err) {
    return next(err);
  }
});

router.post('/password/reset', credentialLimiter, async (req, res, next) => {
  try {
    const { token, password } = req.body;
    if (typeof password !== 'string' || password.length < 10) {
      return res.status(400).json({ error: 'password must be at least 10 characters' });
    }
    const user = await User.findOne({ resetToken: token, resetTokenExpiresAt: { $gt: new Date() } });
    if (!user) return res.status(400).json({ error: 'invalid or expired token' });

    user.passwordHash = await bcrypt.hash(password, 12);
    user.resetToken = undefined;
    user.resetTokenExpiresAt = undefined;
    await user.save();
    logger.info('password reset', { userId: user.id });
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
