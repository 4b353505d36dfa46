'use strict';

const Router = require('@koa/router');
const bcrypt = require('bcrypt');
const { User } = require('../models');
const { AppError } = require('../middleware/errorHandler');
const { requireAuth, signAccessToken } = require('../middleware/auth');
const rateLimit = require('../middleware/rateLimit');
const { passwordResetCode } = require('../lib/codes');
const { hashKioskPin, checkKioskPin } = require('../lib/pins');
const { sendSms } = require('../clients/sms');
const logger = require('../lib/logger');

const router = new Router({ prefix: '/auth' });

const EMAIL_RE = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

router.post('/register', rateLimit({ name: 'register', max: 5, windowMs: 3600e3 }), async (ctx) => {
  const { email, name, password, phone } = ctx.request.body || {};
  if (typeof email !== 'string' || !EMAIL_RE.test(email) || typeof password !== 'string' || password.length < 10) {
    throw new AppError(400, 'email and a password of at least 10 characters are required', 'bad_request');
  }
  const passwordHash = await bcrypt.hash(password, 12);
  try {
    const user = await User.create({ email, name: String(name || '').slice(0, 120), phone: phone ? String(phone) : undefined, passwordHash });
    ctx.status = 201;
    ctx.body = { token: signAccessToken(user) };
  } catch (err) {
    if (err.code === 11000) {
      throw new AppError(409, 'Could not register', 'conflict');
    }
    throw err;
  }
});

router.post(
  '/login',
  rateLimit({ name: 'login', max: 10, windowMs: 900e3, key: (ctx) => `${ctx.ip}:${String((ctx.request.body || {}).email).toLowerCase()}` }),
  async (ctx) => {
    const { email, password } = ctx.request.body || {};
    const user = await User.findOne({ email: String(email).toLowerCase(), disabled: false }).select('+passwordHash');
    const ok = user ? await bcrypt.compare(String(password), user.passwordHash) : false;
    if (!ok) {
      logger.info({ ip: ctx.ip, userId: user ? String(user._id) : null }, 'login failed');
      throw new AppError(401, 'Invalid email or password', 'unauthorized');
    }
    ctx.body = { token: signAccessToken(user) };
  },
);

router.post('/password-reset', rateLimit({ name: 'reset-request', max: 5, windowMs: 3600e3 }), async (ctx) => {
  const email = String((ctx.request.body || {}).email || '').toLowerCase();
  const user = await User.findOne({ email, disabled: false }).select('phone');
  if (user && user.phone) {
    const code = passwordResetCode();
    await User.updateOne(
      { _id: user._id },
      { $set: { resetCode: await bcrypt.hash(code, 10), resetCodeExpiresAt: new Date(Date.now() + 15 * 60e3) } },
    );
    await sendSms(user.phone, `Your GarageHub reset code is ${code}`);
  }
  ctx.status = 202;
  ctx.body = { message: 'If the account exists, a code has been sent by SMS.' };
});

router.post(
  '/password-reset/confirm',
  rateLimit({ name: 'reset-confirm', max: 5, windowMs: 900e3, key: (ctx) => String((ctx.request.body || {}).email).toLowerCase() }),
  async (ctx) => {
    const { email, code, newPassword } = ctx.request.body || {};
    if (typeof newPassword !== 'string' || newPassword.length < 10) {
      throw new AppError(400, 'Password too short', 'bad_request');
    }
    const user = await User.findOne({ email: String(email).toLowerCase() }).select('+resetCode +resetCodeExpiresAt');
    const valid =
      user && user.resetCode && user.resetCodeExpiresAt > new Date() && (await bcrypt.compare(String(code), user.resetCode));
    if (!valid) {
      throw new AppError(400, 'Invalid or expired code', 'invalid_code');
    }
    user.passwordHash = await bcrypt.hash(newPassword, 12);
    user.resetCode = undefined;
    user.resetCodeExpiresAt = undefined;
    await user.save();
    ctx.status = 204;
  },
);

router.put('/kiosk-pin', requireAuth, async (ctx) => {
  const { pin } = ctx.request.body || {};
  if (!/^\d{4,6}$/.test(String(pin))) {
    throw new AppError(400, 'PIN must be 4-6 digits', 'bad_request');
  }
  if (!['mechanic', 'workshop_owner'].includes(ctx.state.user.role)) {
    throw new AppError(403, 'Only workshop staff have kiosk PINs', 'forbidden');
  }
  await User.updateOne({ _id: ctx.state.user.id }, { $set: { kioskPinHash: hashKioskPin(pin) } });
  ctx.status = 204;
});

router.post('/kiosk-login', rateLimit({ name: 'kiosk', max: 20, windowMs: 900e3 }), async (ctx) => {
  const { workshopId, userId, pin } = ctx.request.body || {};
  const user = await User.findOne({ _id: String(userId), workshop: String(workshopId) }).select('+kioskPinHash');
  if (!user || !checkKioskPin(pin, user.kioskPinHash)) {
    throw new AppError(401, 'Invalid PIN', 'unauthorized');
  }
  ctx.body = { token: signAccessToken(user) };
});

module.exports = router;
