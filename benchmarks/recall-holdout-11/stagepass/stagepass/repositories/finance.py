class RefundRepository:
    def __init__(self, conn):
        self.conn = conn

    def create(self, *, order_id, amount, provider_refund_id, requested_by, reason):
        return self.conn.execute(
            "INSERT INTO refunds (order_id, amount, provider_refund_id, requested_by, reason) "
            "VALUES (%s, %s, %s, %s, %s) RETURNING id, created_at",
            (order_id, amount, provider_refund_id, requested_by, reason),
        ).fetchone()


class PayoutRepository:
    def __init__(self, conn):
        self.conn = conn

    def gross_by_organiser(self, period_start, period_end):
        return self.conn.execute(
            "SELECT e.organiser_id, o.currency, sum(o.subtotal - o.discount) AS gross "
            "FROM orders o JOIN events e ON e.id = o.event_id "
            "WHERE o.status = 'paid' AND o.paid_at >= %s AND o.paid_at < %s "
            "GROUP BY e.organiser_id, o.currency",
            (period_start, period_end),
        ).fetchall()

    def create(self, *, organiser_id, period_start, amount, currency):
        return self.conn.execute(
            "INSERT INTO payouts (organiser_id, period_start, amount, currency, status) "
            "VALUES (%s, %s, %s, %s, 'scheduled') "
            "ON CONFLICT (organiser_id, period_start, currency) DO NOTHING RETURNING id",
            (organiser_id, period_start, amount, currency),
        ).fetchone()

    def scheduled(self, limit=200):
        return self.conn.execute(
            "SELECT id, organiser_id, amount, currency FROM payouts WHERE status = 'scheduled' "
            "ORDER BY id LIMIT %s",
            (limit,),
        ).fetchall()

    def mark_sent(self, payout_id, transfer_id):
        self.conn.execute(
            "UPDATE payouts SET status = 'sent', transfer_id = %s, sent_at = now() "
            "WHERE id = %s AND status = 'scheduled'",
            (transfer_id, payout_id),
        )
