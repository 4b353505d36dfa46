import psycopg2

from payments.config import Config


def get_connection():
    return psycopg2.connect(Config.DATABASE_URL)


def fetch_all(sql, params=None):
    conn = get_connection()
    cur = conn.cursor()
    cur.execute(sql, params)
    rows = cur.fetchall()
    conn.close()
    return rows


def run_report(where_clause):
    return fetch_all("SELECT id, account_id, amount, status FROM charges WHERE " + where_clause)
