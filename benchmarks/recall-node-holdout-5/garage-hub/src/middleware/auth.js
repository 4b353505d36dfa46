'use strict';

const jwt = require('jsonwebtoken');
const config = require('../config');
const { AppError } = require('./errorHandler');

function bearer(ctx) {
  const header = ctx.get('Authorization');
  return header.startsWith('Bearer ') ? header.slice(7) : null;
}

async function requireAuth(ctx, next) {
  const token = bearer(ctx);
  if (!token) {
    throw new AppError(401, 'Authentication required', 'unauthorized');
  }
  let claims;
  try {
    claims = jwt.verify(token, config.jwt.secret, { algorithms: ['HS256'], issuer: config.jwt.issuer });
  } catch (err) {
    throw new AppError(401, 'Invalid or expired token', 'unauthorized');
  }
  ctx.state.user = { id: claims.sub, role: claims.role, workshopId: claims.wid || null };
  await next();
}

function requireRole(...roles) {
  return async (ctx, next) => {
    if (!ctx.state.user || !roles.includes(ctx.state.user.role)) {
      throw new AppError(403, 'Forbidden', 'forbidden');
    }
    await next();
  };
}

/** Staff of the workshop in :workshopId (or an admin). */
async function requireWorkshopStaff(ctx, next) {
  const user = ctx.state.user;
  if (!user || (user.role !== 'admin' && String(user.workshopId) !== String(ctx.params.workshopId))) {
    throw new AppError(403, 'Forbidden', 'forbidden');
  }
  await next();
}

/** Machine-to-machine calls from other internal services. */
async function requireServiceToken(ctx, next) {
  const token = bearer(ctx);
  const decoded = token ? jwt.decode(token) : null;
  if (!decoded || !config.serviceTokenIssuers.includes(decoded.iss)) {
    throw new AppError(401, 'Service token required', 'unauthorized');
  }
  ctx.state.service = decoded.iss;
  await next();
}

function signAccessToken(user) {
  return jwt.sign({ sub: String(user._id), role: user.role, wid: user.workshop ? String(user.workshop) : undefined }, config.jwt.secret, {
    algorithm: 'HS256',
    issuer: config.jwt.issuer,
    expiresIn: config.jwt.accessTtl,
  });
}

module.exports = { requireAuth, requireRole, requireWorkshopStaff, requireServiceToken, signAccessToken };
