"""Read-only reporting queries. Heavy aggregates run against the reporting replica."""
import psycopg2
from django.conf import settings
from django.db import connection

SNAPSHOT_TABLES = {
    "daily": "stock_snapshot_daily",
    "weekly": "stock_snapshot_weekly",
    "monthly": "stock_snapshot_monthly",
}


def _rows(cursor):
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def warehouse_valuation(org_id, warehouse_code, category=None):
    sql = (
        "SELECT p.sku, p.name, p.category, si.quantity, p.unit_cost, "
        "si.quantity * p.unit_cost AS value "
        "FROM stock_stockitem si "
        "JOIN stock_product p ON p.id = si.product_id "
        "JOIN stock_warehouse w ON w.id = si.warehouse_id "
        "WHERE w.organization_id = %s AND w.code = %s"
    )
    params = [org_id, warehouse_code]
    if category:
        sql += f" AND p.category = '{category}'"
    sql += " ORDER BY value DESC LIMIT 500"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return _rows(cursor)


def snapshot_rows(org_id, granularity):
    table = SNAPSHOT_TABLES[granularity]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT period, sku, quantity FROM {table} "
            "WHERE organization_id = %s ORDER BY period DESC, sku LIMIT 1000",
            [org_id],
        )
        return _rows(cursor)


def reorder_suggestions(org_id):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporting_schema FROM stock_organization WHERE id = %s", [org_id])
        (schema,) = cursor.fetchone()
        cursor.execute(
            f'SELECT sku, on_hand, suggested_qty FROM "{schema}".reorder_suggestions '
            "ORDER BY sku LIMIT 500"
        )
        return _rows(cursor)


def movement_trends(org_id, since):
    conn = psycopg2.connect(settings.REPORTING_DSN, connect_timeout=5)
    cur = conn.cursor()
    cur.execute(
        "SELECT date_trunc('week', m.created_at) AS week, m.kind, sum(m.amount) "
        "FROM stock_stockmovement m "
        "JOIN stock_stockitem si ON si.id = m.stock_item_id "
        "JOIN stock_warehouse w ON w.id = si.warehouse_id "
        "WHERE w.organization_id = %s AND m.created_at >= %s "
        "GROUP BY 1, 2 ORDER BY 1",
        (org_id, since),
    )
    return [
        {"week": week.date().isoformat(), "kind": kind, "amount": total}
        for week, kind, total in cur.fetchall()
    ]
