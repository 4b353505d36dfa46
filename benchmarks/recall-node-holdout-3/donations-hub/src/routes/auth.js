import { Router } from 'express';
import rateLimit from 'express-rate-limit';
import passport from '../auth/passport.js';
import { hashPassword, hashResetToken, newResetToken } from '../auth/passwords.js';
import { getClients } from '../clients/index.js';
import config from '../config.js';
import logger from '../logger.js';
import { HttpError, asyncRoute, csrfToken } from '../middleware/guards.js';
import { donors } from '../repositories/index.js';

const router = Router();

const loginLimiter = rateLimit({ windowMs: 15 * 60_000, limit: 10, standardHeaders: 'draft-7', legacyHeaders: false });
const resetLimiter = rateLimit({ windowMs: 60 * 60_000, limit: 5, standardHeaders: 'draft-7', legacyHeaders: false });

/** Only same-site relative paths are accepted as post-login destinations. */
function safeNext(next) {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/account';
}

router.get('/csrf', (req, res) => {
  res.json({ csrfToken: csrfToken(req) });
});

router.post('/login', loginLimiter, (req, res, next) => {
  passport.authenticate('local', (err, user, info) => {
    if (err) return next(err);
    if (!user) return next(new HttpError(401, info?.message ?? 'Invalid email or password', 'invalid_credentials'));
    return req.logIn(user, (loginErr) => {
      if (loginErr) return next(loginErr);
      if (req.is('application/x-www-form-urlencoded')) {
        return res.redirect(303, safeNext(req.body.next));
      }
      return res.json({ user: { id: user.id, displayName: user.display_name, role: user.role }, csrfToken: csrfToken(req) });
    });
  })(req, res, next);
});

router.post(
  '/register',
  loginLimiter,
  asyncRoute(async (req, res) => {
    const email = String(req.body.email ?? '').trim().toLowerCase();
    const password = String(req.body.password ?? '');
    const displayName = String(req.body.displayName ?? '').trim().slice(0, 80);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) || password.length < 10 || !displayName) {
      throw new HttpError(422, 'Email, a 10+ character password and a name are required', 'invalid');
    }
    const donor = await donors.create({ email, passwordHash: hashPassword(password), displayName });
    const { mailer } = getClients();
    if (donor) {
      await mailer.send({ to: email, subject: 'Welcome to Donations Hub', html: '<p>Your account is ready. You can sign in now.</p>' });
    } else {
      await mailer.send({ to: email, subject: 'You already have an account', html: '<p>Someone tried to register with this address. If it was you, sign in or reset your password.</p>' });
    }
    // Same answer either way; the e-mail tells the owner what happened.
    res.status(202).json({ message: 'Check your inbox to continue.' });
  }),
);

router.post('/logout', (req, res, next) => {
  req.logout((err) => {
    if (err) return next(err);
    req.session.destroy(() => res.status(204).end());
  });
});

router.post(
  '/forgot-password',
  resetLimiter,
  asyncRoute(async (req, res) => {
    const email = String(req.body.email ?? '').trim().toLowerCase();
    const donor = email ? await donors.findByEmail(email) : null;
    if (donor) {
      const { token, tokenHash } = newResetToken();
      await donors.setResetToken(donor.id, tokenHash, new Date(Date.now() + 30 * 60_000));
      await getClients().mailer.sendPasswordReset(donor.email, `${config.publicUrl}/reset?token=${token}`);
      logger.info({ donorId: donor.id }, 'password reset requested');
    }
    res.status(202).json({ message: 'If that address has an account, we sent a reset link.' });
  }),
);

router.post(
  '/reset-password',
  resetLimiter,
  asyncRoute(async (req, res) => {
    const password = String(req.body.password ?? '');
    if (password.length < 10) throw new HttpError(422, 'Password too short', 'invalid');
    const ok = await donors.consumeResetToken(hashResetToken(req.body.token), hashPassword(password));
    if (!ok) throw new HttpError(400, 'Reset link is invalid or expired', 'invalid_token');
    res.status(204).end();
  }),
);

export default router;
