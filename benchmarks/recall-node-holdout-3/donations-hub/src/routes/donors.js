import { createHash } from 'node:crypto';
import { Router } from 'express';
import { HttpError, asyncRoute, verifyCsrf } from '../middleware/guards.js';
import { donors } from '../repositories/index.js';

const router = Router();

function gravatarUrl(email) {
  const hash = createHash('md5').update(email.trim().toLowerCase()).digest('hex');
  return `https://www.gravatar.com/avatar/${hash}?d=identicon&s=96`;
}

function profile(donor) {
  return {
    id: donor.id,
    email: donor.email,
    displayName: donor.display_name,
    address: { line: donor.address_line, city: donor.city, postcode: donor.postcode, country: donor.country },
    marketingOptIn: donor.marketing_opt_in,
    emailVerified: donor.email_verified,
    avatar: gravatarUrl(donor.email),
  };
}

router.get(
  '/me',
  asyncRoute(async (req, res) => {
    res.json(profile(req.user));
  }),
);

router.patch(
  '/me',
  verifyCsrf,
  asyncRoute(async (req, res) => {
    if (req.body.email !== undefined || req.body.password_hash !== undefined) {
      throw new HttpError(400, 'Use the dedicated endpoints to change email or password', 'invalid');
    }
    const updated = await donors.update(req.user.id, req.body);
    res.json(profile(updated));
  }),
);

router.post(
  '/me/email',
  asyncRoute(async (req, res) => {
    const email = String(req.body.email ?? '').trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
      throw new HttpError(422, 'A valid email is required', 'invalid');
    }
    const updated = await donors.update(req.user.id, { email, email_verified: false });
    res.json(profile(updated));
  }),
);

export default router;
