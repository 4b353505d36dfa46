import type { Queryable } from '../db.js';
import type { StaffRole } from '../types/auth.js';

export interface UserRow {
  id: number;
  email: string;
  full_name: string;
  role: StaffRole;
  password_hash: string | null;
  mfa_secret: string | null;
  active: boolean;
  clinic_id: number | null;
  last_login_at: Date | null;
  created_at: Date;
}

export class UserRepository {
  constructor(private readonly db: Queryable) {}

  async findByEmail(email: string): Promise<UserRow | null> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users WHERE email = $1', [email]);
    return rows[0] ?? null;
  }

  async findProfile(id: number) {
    const { rows } = await this.db.query(
      'SELECT id, email, full_name, role, clinic_id, last_login_at FROM users WHERE id = $1',
      [id],
    );
    return rows[0] ?? null;
  }

  async listAll(): Promise<UserRow[]> {
    const { rows } = await this.db.query<UserRow>('SELECT * FROM users ORDER BY full_name');
    return rows;
  }

  async touchLogin(id: number) {
    await this.db.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
  }

  async findPendingInvite(tokenHash: string) {
    const { rows } = await this.db.query<{ id: number; user_id: number }>(
      `SELECT id, user_id FROM staff_invites
        WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now()`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async acceptInvite(db: Queryable, inviteId: number, userId: number, passwordHash: string) {
    await db.query('UPDATE staff_invites SET accepted_at = now() WHERE id = $1', [inviteId]);
    await db.query('UPDATE users SET password_hash = $2, active = TRUE WHERE id = $1', [userId, passwordHash]);
  }
}
