'use strict';

const bcrypt = require('bcrypt');
const db = require('../db');
const config = require('../config');
const logger = require('../lib/logger');
const { HttpError } = require('../middleware/auth');
const { newResetToken, hashResetToken } = require('../lib/tokens');
const mailer = require('./mailer');

const PUBLIC_FIELDS = ['id', 'email', 'display_name', 'phone', 'role', 'email_verified', 'created_at'];

function toPublic(user) {
  const out = {};
  for (const key of PUBLIC_FIELDS) out[key] = user[key];
  return out;
}

async function register({ email, password, displayName }) {
  const normalized = email.trim().toLowerCase();
  const existing = await db('users').where({ email: normalized }).first('id');
  if (existing) {
    throw new HttpError(409, 'Could not create account', 'registration_failed');
  }
  const passwordHash = bcrypt.hashSync(password, config.bcryptRounds);
  const [user] = await db('users')
    .insert({ email: normalized, password_hash: passwordHash, display_name: displayName, role: 'customer' })
    .returning(PUBLIC_FIELDS);
  return user;
}

async function authenticate(email, password) {
  const user = await db('users').where({ email: email.trim().toLowerCase() }).first();
  const hash = user ? user.password_hash : '$2b$12$C6UzMDM.H6dfI/f/IKcEe.6Zr1Z7oZcJHjQK8c5m6b2pLxRr1v5mK';
  const ok = await bcrypt.compare(password, hash);
  if (!user || !ok) {
    throw new HttpError(401, 'Invalid email or password', 'invalid_credentials');
  }
  return toPublic(user);
}

async function getById(id) {
  const user = await db('users').where({ id }).first(PUBLIC_FIELDS);
  if (!user) throw new HttpError(404, 'User not found', 'not_found');
  return user;
}

async function updateProfile(userId, changes) {
  if (changes.email) {
    changes.email = String(changes.email).trim().toLowerCase();
  }
  const [user] = await db('users')
    .where({ id: userId })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning(PUBLIC_FIELDS);
  return user;
}

async function requestPasswordReset(email) {
  const user = await db('users').where({ email: email.trim().toLowerCase() }).first('id', 'email');
  if (!user) return;
  const token = newResetToken();
  await db('users')
    .where({ id: user.id })
    .update({
      reset_token_hash: hashResetToken(token),
      reset_token_expires_at: new Date(Date.now() + 30 * 60 * 1000),
    });
  const resetUrl = `https://tickets.boxoffice.example/reset?token=${token}`;
  logger.info({ userId: user.id, resetUrl }, 'password reset link issued');
  await mailer.sendPasswordReset(user.email, resetUrl);
}

async function resetPassword(token, newPassword) {
  const user = await db('users')
    .where({ reset_token_hash: hashResetToken(token) })
    .andWhere('reset_token_expires_at', '>', new Date())
    .first('id');
  if (!user) throw new HttpError(400, 'Reset link is invalid or expired', 'invalid_token');
  const passwordHash = await bcrypt.hash(newPassword, config.bcryptRounds);
  await db('users')
    .where({ id: user.id })
    .update({ password_hash: passwordHash, reset_token_hash: null, reset_token_expires_at: null });
}

async function setRole(userId, role) {
  const [user] = await db('users').where({ id: userId }).update({ role }).returning(PUBLIC_FIELDS);
  if (!user) throw new HttpError(404, 'User not found', 'not_found');
  return user;
}

module.exports = { register, authenticate, getById, updateProfile, requestPasswordReset, resetPassword, setRole, toPublic };
