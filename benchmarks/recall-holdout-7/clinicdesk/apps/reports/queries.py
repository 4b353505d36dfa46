"""Reporting queries. Raw SQL because the ORM version of these was 10x slower."""
from django.db import connection

SORT_COLUMNS = {
    "date": "day",
    "practitioner": "practitioner_name",
    "revenue": "revenue",
    "visits": "visits",
}


def _order_clause(sort_key):
    column = SORT_COLUMNS.get(sort_key.lstrip("-"), "day")
    direction = "DESC" if sort_key.startswith("-") else "ASC"
    return f"{column} {direction}"


def revenue_by_practitioner(clinic_id, start, end, sort_key="date"):
    sql = f"""
        SELECT date_trunc('day', i.issued_at)::date AS day,
               u.last_name AS practitioner_name,
               count(DISTINCT a.id) AS visits,
               sum(l.unit_price * l.quantity * (1 + l.tax_rate)) AS revenue
          FROM billing_invoice i
          JOIN billing_invoiceline l ON l.invoice_id = i.id
          JOIN scheduling_appointment a ON a.id = l.appointment_id
          JOIN clinics_practitioner p ON p.id = a.practitioner_id
          JOIN accounts_user u ON u.id = p.user_id
         WHERE i.clinic_id = %s
           AND i.status IN ('issued', 'paid', 'partially_refunded')
           AND i.issued_at >= %s AND i.issued_at < %s
         GROUP BY 1, 2
         ORDER BY {_order_clause(sort_key)}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [clinic_id, start, end])
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


NO_SHOW_BASE = """
    SELECT p.id, p.first_name, p.last_name, p.phone,
           count(*) FILTER (WHERE a.status = 'no_show') AS no_shows,
           count(*) AS appointments
      FROM patients_patient p
      JOIN scheduling_appointment a ON a.patient_id = p.id
     WHERE p.clinic_id = %s
"""


def _name_filter(term):
    if not term:
        return ""
    return f" AND (p.last_name ILIKE '{term}%%' OR p.first_name ILIKE '{term}%%')"


def no_show_patients(clinic_id, name_term=None, min_no_shows=2):
    sql = NO_SHOW_BASE + _name_filter(name_term) + " GROUP BY p.id HAVING count(*) FILTER (WHERE a.status = 'no_show') >= %s ORDER BY no_shows DESC LIMIT 200"
    with connection.cursor() as cursor:
        cursor.execute(sql, [clinic_id, min_no_shows])
        columns = [col[0] for col in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]

