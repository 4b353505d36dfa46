class TicketRepository:
    def __init__(self, conn):
        self.conn = conn

    def insert_many(self, rows):
        with self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO tickets (order_id, event_id, tier_id, code) VALUES (%s, %s, %s, %s)",
                rows,
            )

    def for_order(self, order_id):
        return self.conn.execute(
            "SELECT id, code, tier_id, checked_in_at FROM tickets WHERE order_id = %s ORDER BY id",
            (order_id,),
        ).fetchall()

    def find_by_code(self, code):
        return self.conn.execute(
            "SELECT id, event_id, order_id, checked_in_at, voided_at FROM tickets WHERE code = %s", (code,)
        ).fetchone()

    def mark_checked_in(self, ticket_id, gate):
        return self.conn.execute(
            "UPDATE tickets SET checked_in_at = now(), gate = %s "
            "WHERE id = %s AND checked_in_at IS NULL RETURNING checked_in_at",
            (gate, ticket_id),
        ).fetchone()

    def void_for_order(self, order_id):
        self.conn.execute(
            "UPDATE tickets SET voided_at = now() WHERE order_id = %s AND voided_at IS NULL", (order_id,)
        )
