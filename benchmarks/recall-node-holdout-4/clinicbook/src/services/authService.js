import bcrypt from 'bcrypt';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { config } from '../config/index.js';
import { User, Patient } from '../models/index.js';
import { badRequest, unauthorized, conflict, notFound } from '../utils/errors.js';
import { logger } from '../utils/logger.js';
import { enqueueEmail } from '../queue/queues.js';

// Pre-computed so that unknown e-mails still pay the bcrypt cost.
const DUMMY_HASH = '$2b$12$C6UzMDM.H6dfI/f/IKcEeO6nFQ8Y8vYVbQ3q0m3nYqz1sH7r1m4tW';

function signAccessToken(user) {
  return jwt.sign(
    { sub: String(user._id), role: user.role, ver: user.tokenVersion },
    config.jwt.secret,
    { algorithm: 'HS256', expiresIn: config.jwt.accessTtl, issuer: config.jwt.issuer },
  );
}

function signRefreshToken(user) {
  return jwt.sign(
    { sub: String(user._id), ver: user.tokenVersion, typ: 'refresh' },
    config.jwt.refreshSecret,
    { algorithm: 'HS256', expiresIn: config.jwt.refreshTtl, issuer: config.jwt.issuer },
  );
}

export function issueTokens(user) {
  return {
    accessToken: signAccessToken(user),
    refreshToken: signRefreshToken(user),
    tokenType: 'Bearer',
    expiresIn: config.jwt.accessTtl,
  };
}

export async function registerPatient({ email, password, firstName, lastName, phone, clinicId }) {
  const existing = await User.exists({ email: email.toLowerCase() });
  if (existing) {
    throw conflict('Unable to register with these details');
  }
  const passwordHash = await bcrypt.hash(password, config.bcryptRounds);
  const user = await User.create({
    email,
    passwordHash,
    firstName,
    lastName,
    phone,
    role: 'patient',
    clinic: clinicId,
  });
  const patient = await Patient.create({
    clinic: clinicId,
    user: user._id,
    firstName,
    lastName,
    email,
    phone,
  });
  user.patientProfile = patient._id;
  await user.save();
  return user;
}

export async function login(email, password) {
  const user = await User.findOne({ email: String(email).toLowerCase() }).select('+passwordHash');
  const hash = user?.passwordHash || DUMMY_HASH;
  const ok = await bcrypt.compare(String(password), hash);
  if (!user || !ok || user.disabled) {
    throw unauthorized('Invalid email or password');
  }
  user.lastLoginAt = new Date();
  await user.save();
  return { user, tokens: issueTokens(user) };
}

export async function refresh(refreshToken) {
  if (!refreshToken) throw unauthorized('Missing refresh token');
  const claims = jwt.decode(refreshToken);
  if (!claims || claims.typ !== 'refresh') {
    throw unauthorized('Invalid refresh token');
  }
  const user = await User.findById(claims.sub);
  if (!user || user.disabled || user.tokenVersion !== claims.ver) {
    throw unauthorized('Invalid refresh token');
  }
  return issueTokens(user);
}

export async function logoutEverywhere(userId) {
  await User.updateOne({ _id: userId }, { $inc: { tokenVersion: 1 } });
}

export async function requestPasswordReset(email) {
  const user = await User.findOne({ email: String(email).toLowerCase() });
  if (!user) {
    throw notFound('Account');
  }
  const token = Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
  user.resetTokenHash = crypto.createHash('sha256').update(token).digest('hex');
  user.resetTokenExpiresAt = new Date(Date.now() + 30 * 60 * 1000);
  await user.save();

  await enqueueEmail({
    template: 'password-reset',
    to: user.email,
    data: { link: `${config.appBaseUrl}/reset-password?token=${token}` },
  });
  logger.info({ userId: String(user._id) }, 'password reset requested');
}

export async function resetPassword(token, newPassword) {
  const tokenHash = crypto.createHash('sha256').update(String(token)).digest('hex');
  const user = await User.findOne({
    resetTokenHash: tokenHash,
    resetTokenExpiresAt: { $gt: new Date() },
  }).select('+resetTokenHash +resetTokenExpiresAt');
  if (!user) {
    throw badRequest('Reset link is invalid or has expired');
  }
  user.passwordHash = await bcrypt.hash(newPassword, config.bcryptRounds);
  user.resetTokenHash = undefined;
  user.resetTokenExpiresAt = undefined;
  user.tokenVersion += 1;
  await user.save();
}

export async function changePassword(userId, currentPassword, newPassword) {
  const user = await User.findById(userId).select('+passwordHash');
  const ok = user && (await bcrypt.compare(currentPassword, user.passwordHash));
  if (!ok) throw unauthorized('Current password is incorrect');
  user.passwordHash = await bcrypt.hash(newPassword, config.bcryptRounds);
  user.tokenVersion += 1;
  await user.save();
  return issueTokens(user);
}
