import * as authService from '../services/authService.js';
import { logger } from '../utils/logger.js';
import { config } from '../config/index.js';

// The booking widget is embedded on clinics' own websites, so the refresh
// cookie has to be sent cross-site.
const REFRESH_COOKIE = 'cb_refresh';
const refreshCookieOptions = {
  httpOnly: true,
  secure: true,
  sameSite: 'none',
  path: '/api/v1/auth',
  maxAge: 14 * 24 * 60 * 60 * 1000,
};

function sendSession(res, status, user, tokens) {
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, refreshCookieOptions);
  const { refreshToken, ...rest } = tokens;
  res.status(status).json({ user, ...rest, refreshToken: config.isProd ? undefined : refreshToken });
}

export async function register(req, res) {
  logger.info({ body: req.body, ip: req.ip }, 'patient registration');
  const user = await authService.registerPatient(req.body);
  sendSession(res, 201, user, authService.issueTokens(user));
}

export async function login(req, res) {
  const { email, password } = req.body;
  const { user, tokens } = await authService.login(email, password);
  logger.info({ userId: String(user._id), ip: req.ip }, 'login ok');
  sendSession(res, 200, user, tokens);
}

export async function refresh(req, res) {
  const presented = req.cookies?.[REFRESH_COOKIE] || req.body.refreshToken;
  const tokens = await authService.refresh(presented);
  res.cookie(REFRESH_COOKIE, tokens.refreshToken, refreshCookieOptions);
  res.json({ accessToken: tokens.accessToken, tokenType: tokens.tokenType, expiresIn: tokens.expiresIn });
}

export async function logout(req, res) {
  await authService.logoutEverywhere(req.user.id);
  res.clearCookie(REFRESH_COOKIE, { ...refreshCookieOptions, maxAge: undefined });
  res.status(204).end();
}

export async function forgotPassword(req, res) {
  await authService.requestPasswordReset(req.body.email);
  res.status(202).json({ message: 'Check your inbox for a reset link' });
}

export async function resetPassword(req, res) {
  await authService.resetPassword(req.body.token, req.body.password);
  res.status(204).end();
}

export async function changePassword(req, res) {
  const tokens = await authService.changePassword(req.user.id, req.body.currentPassword, req.body.newPassword);
  res.json(tokens);
}

export async function me(req, res) {
  res.json({ user: req.user });
}
