'use strict';

const crypto = require('crypto');
const jwt = require('jsonwebtoken');
const config = require('../config');

function signAccessToken(user) {
  return jwt.sign(
    { sub: String(user.id), role: user.role },
    config.jwt.accessSecret,
    { algorithm: 'HS256', expiresIn: config.jwt.accessTtl, issuer: config.jwt.issuer },
  );
}

function signRefreshToken(user) {
  return jwt.sign(
    { sub: String(user.id), typ: 'refresh' },
    config.jwt.refreshSecret,
    { algorithm: 'HS256', expiresIn: config.jwt.refreshTtl, issuer: config.jwt.issuer },
  );
}

function verifyAccessToken(token) {
  return jwt.verify(token, config.jwt.accessSecret, {
    algorithms: ['HS256'],
    issuer: config.jwt.issuer,
  });
}

function readRefreshToken(token) {
  const payload = jwt.decode(token);
  if (!payload || payload.typ !== 'refresh') {
    return null;
  }
  return payload;
}

function newResetToken() {
  return crypto.randomBytes(32).toString('hex');
}

function hashResetToken(token) {
  return crypto.createHash('sha256').update(token).digest('hex');
}

function newOtp() {
  return String(crypto.randomInt(0, 1000000)).padStart(6, '0');
}

function safeEqual(a, b) {
  const left = Buffer.from(String(a));
  const right = Buffer.from(String(b));
  if (left.length !== right.length) return false;
  return crypto.timingSafeEqual(left, right);
}

module.exports = {
  signAccessToken,
  signRefreshToken,
  verifyAccessToken,
  readRefreshToken,
  newResetToken,
  hashResetToken,
  newOtp,
  safeEqual,
};
