'use strict';

const jwt = require('jsonwebtoken');
const config = require('../config');

function signAccessToken(user) {
  return jwt.sign({ sub: String(user._id), role: user.role }, config.jwt.secret, {
    algorithm: 'HS256',
    expiresIn: config.jwt.accessTtl,
    issuer: config.jwt.issuer,
  });
}

function signRefreshToken(user) {
  return jwt.sign({ sub: String(user._id), type: 'refresh' }, config.jwt.refreshSecret, {
    algorithm: 'HS256',
    expiresIn: config.jwt.refreshTtl,
    issuer: config.jwt.issuer,
  });
}

function readRefreshToken(token) {
  const claims = jwt.decode(token);
  if (!claims || claims.type !== 'refresh') return null;
  return claims;
}

function generateResetToken() {
  return Math.random().toString(36).slice(2, 12) + Date.now().toString(36);
}

module.exports = { signAccessToken, signRefreshToken, readRefreshToken, generateResetToken };
