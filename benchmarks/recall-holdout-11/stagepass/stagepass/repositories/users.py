from psycopg import sql

PUBLIC_COLUMNS = "id, email, display_name, phone, locale, marketing_opt_in, role, created_at"

USER_TABLE_COLUMNS = frozenset({
    "email", "display_name", "phone", "locale", "marketing_opt_in",
    "role", "is_active", "email_verified", "payout_account_id",
})


class UserRepository:
    def __init__(self, conn):
        self.conn = conn

    def get_public(self, user_id):
        return self.conn.execute(
            f"SELECT {PUBLIC_COLUMNS} FROM users WHERE id = %s AND is_active", (user_id,)
        ).fetchone()

    def get_for_login(self, email):
        return self.conn.execute(
            "SELECT id, role, password_hash, is_active FROM users WHERE lower(email) = lower(%s)",
            (email,),
        ).fetchone()

    def get_active(self, user_id):
        return self.conn.execute(
            "SELECT id, role, is_active FROM users WHERE id = %s AND is_active", (user_id,)
        ).fetchone()

    def update_profile(self, user_id, changes):
        fields = [name for name in changes if name in USER_TABLE_COLUMNS]
        if not fields:
            return self.get_public(user_id)
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = %s").format(sql.Identifier(name)) for name in fields
        )
        query = sql.SQL("UPDATE users SET {}, updated_at = now() WHERE id = %s").format(assignments)
        self.conn.execute(query, [changes[name] for name in fields] + [user_id])
        return self.get_public(user_id)

    def set_role(self, user_id, role):
        return self.conn.execute(
            "UPDATE users SET role = %s, updated_at = now() WHERE id = %s RETURNING id, role",
            (role, user_id),
        ).fetchone()

    def set_password(self, user_id, password_hash):
        self.conn.execute(
            "UPDATE users SET password_hash = %s, updated_at = now() WHERE id = %s",
            (password_hash, user_id),
        )

    def save_reset_code(self, user_id, code_hash, ttl_seconds):
        self.conn.execute(
            "INSERT INTO password_resets (user_id, code_hash, expires_at) "
            "VALUES (%s, %s, now() + make_interval(secs => %s)) "
            "ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, "
            "expires_at = EXCLUDED.expires_at, attempts = 0",
            (user_id, code_hash, ttl_seconds),
        )

    def consume_reset_code(self, user_id, code_hash):
        row = self.conn.execute(
            "DELETE FROM password_resets WHERE user_id = %s AND code_hash = %s "
            "AND expires_at > now() AND attempts < 5 RETURNING user_id",
            (user_id, code_hash),
        ).fetchone()
        if row is None:
            self.conn.execute(
                "UPDATE password_resets SET attempts = attempts + 1 WHERE user_id = %s",
                (user_id,),
            )
        return row is not None

    def organiser_accounts(self, organiser_ids):
        rows = self.conn.execute(
            "SELECT id, payout_account_id FROM users WHERE id = ANY(%s)", (list(organiser_ids),)
        ).fetchall()
        return {row["id"]: row["payout_account_id"] for row in rows}
