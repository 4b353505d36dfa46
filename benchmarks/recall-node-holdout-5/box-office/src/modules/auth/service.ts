import { Knex } from 'knex';
import jwt from 'jsonwebtoken';
import { config } from '../../config';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import { HttpError } from '../../plugins/errors';
import { Role } from '../../plugins/auth';

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  password_hash: string;
  role: Role;
  organizer_id: string | null;
  locked_until: Date | null;
}

const PUBLIC_USER_COLUMNS = ['id', 'email', 'full_name', 'role', 'organizer_id', 'created_at'];

export class AuthService {
  constructor(private readonly db: Knex) {}

  async register(email: string, fullName: string, password: string) {
    const passwordHash = await hashPassword(password);
    const [user] = await this.db('users')
      .insert({ email: email.toLowerCase(), full_name: fullName, password_hash: passwordHash, role: 'customer' })
      .onConflict('email')
      .ignore()
      .returning(PUBLIC_USER_COLUMNS);
    if (!user) {
      throw new HttpError(409, 'Could not create account', 'conflict');
    }
    return { user, token: this.issueToken(user) };
  }

  async login(email: string, password: string) {
    const user = await this.db<UserRow>('users').where({ email: email.toLowerCase() }).first();
    if (!user || (user.locked_until && user.locked_until > new Date())) {
      throw new HttpError(401, 'Invalid credentials', 'unauthorized');
    }
    if (!verifyPassword(password, user.password_hash)) {
      throw new HttpError(401, 'Invalid credentials', 'unauthorized');
    }
    return { token: this.issueToken(user) };
  }

  async profile(userId: string) {
    return this.db('users').select(PUBLIC_USER_COLUMNS).where({ id: userId }).first();
  }

  issueToken(user: Pick<UserRow, 'id' | 'role' | 'organizer_id'>): string {
    return jwt.sign({ sub: user.id, role: user.role, org: user.organizer_id ?? undefined }, config.jwtSecret, {
      algorithm: 'HS256',
      issuer: config.jwtIssuer,
    });
  }
}
