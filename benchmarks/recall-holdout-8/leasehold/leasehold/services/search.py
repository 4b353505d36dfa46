"""Unit search for the staff board and the JSON API.

Written as SQL because the planner picks a much better plan for the
occupancy join than the ORM version did.
"""
from sqlalchemy import text

from ..extensions import db

UNIT_SEARCH_SQL = """
    SELECT u.id, u.label, u.bedrooms, u.monthly_rent, u.status,
           p.id AS property_id, p.name AS property_name, p.city
    FROM units u
    JOIN properties p ON p.id = u.property_id
    WHERE p.org_id = :org_id
"""


def _filter_clauses(filters):
    clauses = []
    params = {}
    if filters.get("min_bedrooms"):
        clauses.append("u.bedrooms >= :min_bedrooms")
        params["min_bedrooms"] = int(filters["min_bedrooms"])
    if filters.get("max_rent"):
        clauses.append("u.monthly_rent <= :max_rent")
        params["max_rent"] = filters["max_rent"]
    if filters.get("city"):
        clauses.append("p.city = :city")
        params["city"] = filters["city"]
    if filters.get("status"):
        clauses.append("u.status = '%s'" % filters["status"])
    return clauses, params


def search_units(org_id, filters, limit=50, offset=0):
    clauses, params = _filter_clauses(filters)
    sql = UNIT_SEARCH_SQL
    if clauses:
        sql += " AND " + " AND ".join(clauses)
    sql += " ORDER BY p.name, u.label LIMIT :limit OFFSET :offset"
    params.update({"org_id": org_id, "limit": limit, "offset": offset})
    return [dict(row._mapping) for row in db.session.execute(text(sql), params)]


def occupancy_by_property(org_id):
    rows = db.session.execute(
        text(
            "SELECT p.id, p.name, COUNT(u.id) AS units, "
            "SUM(CASE WHEN u.status = 'occupied' THEN 1 ELSE 0 END) AS occupied "
            "FROM properties p LEFT JOIN units u ON u.property_id = p.id "
            "WHERE p.org_id = :org_id GROUP BY p.id, p.name ORDER BY p.name"
        ),
        {"org_id": org_id},
    )
    return [dict(r._mapping) for r in rows]
