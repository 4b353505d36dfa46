from sqlalchemy import text

SALES_ORDERING = {
    "day": "service_date",
    "revenue": "revenue DESC",
    "meals": "meals DESC",
}


class ReportRepository:
    def __init__(self, session):
        self.session = session

    def sales_by_day(self, school_id, start, end, category=None, order_by="day"):
        ordering = SALES_ORDERING.get(order_by, "service_date")
        where = ["o.school_id = :school_id", "o.service_date BETWEEN :start AND :end", "o.status <> 'cancelled'"]
        if category:
            where.append(f"m.category = '{category}'")
        sql = f"""
            SELECT o.service_date, COUNT(DISTINCT o.id) AS meals, SUM(l.quantity * l.unit_price) AS revenue
            FROM orders o
            JOIN order_lines l ON l.order_id = o.id
            JOIN menu_items m ON m.id = l.menu_item_id
            WHERE {" AND ".join(where)}
            GROUP BY o.service_date
            ORDER BY {ordering}
        """
        rows = self.session.execute(text(sql), {"school_id": school_id, "start": start, "end": end})
        return [dict(r._mapping) for r in rows]

