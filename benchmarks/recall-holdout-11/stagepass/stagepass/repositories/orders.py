ORDER_COLUMNS = (
    "id, reference, user_id, event_id, status, subtotal, fee, discount, total, currency, "
    "charge_id, created_at, paid_at"
)


class OrderRepository:
    def __init__(self, conn):
        self.conn = conn

    def create(self, *, reference, user_id, event_id, subtotal, fee, discount, total, currency,
               idempotency_key, hold_minutes, promo_id=None):
        return self.conn.execute(
            f"INSERT INTO orders (reference, user_id, event_id, status, subtotal, fee, discount, total, "
            f"currency, idempotency_key, promo_id, hold_expires_at) "
            f"VALUES (%s, %s, %s, 'pending', %s, %s, %s, %s, %s, %s, %s, now() + make_interval(mins => %s)) "
            f"ON CONFLICT (user_id, idempotency_key) DO NOTHING RETURNING {ORDER_COLUMNS}",
            (reference, user_id, event_id, subtotal, fee, discount, total, currency,
             idempotency_key, promo_id, hold_minutes),
        ).fetchone()

    def by_idempotency_key(self, user_id, idempotency_key):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE user_id = %s AND idempotency_key = %s",
            (user_id, idempotency_key),
        ).fetchone()

    def add_lines(self, order_id, lines):
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO order_lines (order_id, tier_id, quantity, unit_price) VALUES (%s, %s, %s, %s)",
                [(order_id, line["tier_id"], line["quantity"], line["unit_price"]) for line in lines],
            )

    def get(self, order_id):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = %s", (order_id,)
        ).fetchone()

    def get_for_user(self, order_id, user_id):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = %s AND user_id = %s",
            (order_id, user_id),
        ).fetchone()

    def lock_for_user(self, order_id, user_id):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = %s AND user_id = %s FOR UPDATE",
            (order_id, user_id),
        ).fetchone()

    def lock_by_charge(self, charge_id):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE charge_id = %s FOR UPDATE", (charge_id,)
        ).fetchone()

    def list_for_user(self, user_id, after_id=None, limit=25):
        return self.conn.execute(
            f"SELECT {ORDER_COLUMNS} FROM orders WHERE user_id = %s AND (%s::bigint IS NULL OR id < %s) "
            "ORDER BY id DESC LIMIT %s",
            (user_id, after_id, after_id, limit),
        ).fetchall()

    def lines_for(self, order_id):
        return self.conn.execute(
            "SELECT l.tier_id, tt.name AS tier, l.quantity, l.unit_price FROM order_lines l "
            "JOIN ticket_tiers tt ON tt.id = l.tier_id WHERE l.order_id = %s",
            (order_id,),
        ).fetchall()

    def set_charge(self, order_id, charge_id):
        self.conn.execute(
            "UPDATE orders SET charge_id = %s WHERE id = %s", (charge_id, order_id)
        )

    def mark_paid(self, order_id):
        return self.conn.execute(
            "UPDATE orders SET status = 'paid', paid_at = now() WHERE id = %s AND status = 'pending' "
            "RETURNING id",
            (order_id,),
        ).fetchone()

    def set_status(self, order_id, status):
        self.conn.execute("UPDATE orders SET status = %s WHERE id = %s", (status, order_id))

    def expired_holds(self, limit=500):
        return self.conn.execute(
            "SELECT id FROM orders WHERE status = 'pending' AND hold_expires_at < now() "
            "ORDER BY hold_expires_at LIMIT %s FOR UPDATE SKIP LOCKED",
            (limit,),
        ).fetchall()

    def expire(self, order_ids):
        self.conn.execute(
            "WITH expired AS ("
            "  UPDATE orders SET status = 'expired' WHERE id = ANY(%s) AND status = 'pending' RETURNING id"
            "), released AS ("
            "  SELECT l.tier_id, sum(l.quantity) AS quantity FROM order_lines l"
            "  JOIN expired x ON x.id = l.order_id GROUP BY l.tier_id"
            ") UPDATE ticket_tiers t SET remaining = t.remaining + r.quantity"
            " FROM released r WHERE t.id = r.tier_id",
            (list(order_ids),),
        )


class PromoRepository:
    def __init__(self, conn):
        self.conn = conn

    def get_active(self, event_id, code):
        return self.conn.execute(
            "SELECT id, percent_off, uses, max_uses FROM promo_codes "
            "WHERE event_id = %s AND code = %s AND active AND (valid_until IS NULL OR valid_until > now())",
            (event_id, code.upper()),
        ).fetchone()

    def set_uses(self, promo_id, uses):
        self.conn.execute("UPDATE promo_codes SET uses = %s WHERE id = %s", (uses, promo_id))
