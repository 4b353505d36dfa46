import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { donors } from '../repositories/index.js';
import { verifyPassword } from './passwords.js';

const INVALID = { message: 'Invalid email or password' };

passport.use(
  new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, async (email, password, done) => {
    try {
      const donor = await donors.findByEmail(String(email).trim().toLowerCase());
      if (!donor || !verifyPassword(password, donor.password_hash)) {
        return done(null, false, INVALID);
      }
      const { password_hash: _omit, ...profile } = donor;
      return done(null, profile);
    } catch (err) {
      return done(err);
    }
  }),
);

passport.serializeUser((donor, done) => done(null, donor.id));

passport.deserializeUser(async (id, done) => {
  try {
    const donor = await donors.findById(id);
    done(null, donor ?? false);
  } catch (err) {
    done(err);
  }
});

export default passport;
