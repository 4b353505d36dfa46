"""Finance reports. Raw SQL because these run over the whole payout table."""
import datetime as dt

from django.db import connection

GROUPINGS = {
    "day": "date_trunc('day', p.created_at)",
    "week": "date_trunc('week', p.created_at)",
    "month": "date_trunc('month', p.created_at)",
}
STATUSES = {"paid", "failed", "submitted", "approved", "review", "cancelled"}


def _rows(cursor) -> list[dict]:
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def payout_volume(start: dt.date, end: dt.date, grouping: str, status: str | None = None) -> list[dict]:
    bucket = GROUPINGS[grouping]
    sql = (
        f"SELECT {bucket} AS bucket, p.currency, COUNT(*) AS payouts, SUM(p.amount) AS amount, SUM(p.fee) AS fees "
        "FROM payouts_payout p WHERE p.created_at >= %s AND p.created_at < %s"
    )
    params: list = [start, end]
    if status in STATUSES:
        sql += " AND p.status = %s"
        params.append(status)
    sql += " GROUP BY 1, 2 ORDER BY 1, 2"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _rows(cursor)


def top_sellers(start: dt.date, end: dt.date, country: str | None, limit: int) -> list[dict]:
    country_filter = f"AND s.country = '{country.upper()}'" if country else ""
    sql = f"""
        SELECT s.id, s.display_name, s.country, COUNT(p.id) AS payouts, SUM(p.amount) AS amount
        FROM payouts_payout p JOIN sellers_seller s ON s.id = p.seller_id
        WHERE p.status = 'paid' AND p.paid_at >= %s AND p.paid_at < %s {country_filter}
        GROUP BY s.id, s.display_name, s.country
        ORDER BY amount DESC
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, limit])
        return _rows(cursor)


def failure_reasons(start: dt.date, end: dt.date) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT failure_reason, COUNT(*) AS n FROM payouts_payout "
            "WHERE status = 'failed' AND created_at >= %s AND created_at < %s "
            "GROUP BY failure_reason ORDER BY n DESC LIMIT 50",
            [start, end],
        )
        return _rows(cursor)
