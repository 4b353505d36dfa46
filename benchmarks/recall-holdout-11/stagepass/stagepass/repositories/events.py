EVENT_COLUMNS = (
    "e.id, e.title, e.category, e.starts_at, e.status, e.organiser_id, e.poster_url, "
    "v.name AS venue_name, v.city"
)

SORTS = {
    "date": "e.starts_at ASC, e.id ASC",
    "-date": "e.starts_at DESC, e.id DESC",
    "title": "e.title ASC, e.id ASC",
}

EDITABLE_EVENT_FIELDS = ("title", "description", "starts_at", "category", "status")


class EventRepository:
    def __init__(self, conn):
        self.conn = conn

    def search(self, *, city=None, text=None, category=None, sort="date", after_id=None, limit=25):
        clauses = ["e.status = 'published'", "e.starts_at > now()"]
        params = []
        if city:
            clauses.append("v.city = %s")
            params.append(city)
        if text:
            clauses.append("e.title ILIKE %s")
            params.append(f"%{text}%")
        if category:
            clauses.append(f"e.category = '{category}'")
        if after_id:
            clauses.append("e.id > %s")
            params.append(after_id)
        order_by = SORTS.get(sort, SORTS["date"])
        query = (
            f"SELECT {EVENT_COLUMNS} FROM events e JOIN venues v ON v.id = e.venue_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY {order_by} LIMIT %s"
        )
        params.append(limit)
        return self.conn.execute(query, params).fetchall()

    def get_published(self, event_id):
        return self.conn.execute(
            f"SELECT {EVENT_COLUMNS}, e.description FROM events e JOIN venues v ON v.id = e.venue_id "
            "WHERE e.id = %s AND e.status = 'published'",
            (event_id,),
        ).fetchone()

    def get_for_organiser(self, event_id, organiser_id):
        return self.conn.execute(
            f"SELECT {EVENT_COLUMNS} FROM events e JOIN venues v ON v.id = e.venue_id "
            "WHERE e.id = %s AND e.organiser_id = %s",
            (event_id, organiser_id),
        ).fetchone()

    def update(self, event_id, organiser_id, changes):
        fields = [name for name in EDITABLE_EVENT_FIELDS if name in changes]
        if not fields:
            return self.get_for_organiser(event_id, organiser_id)
        assignments = ", ".join(f"{name} = %s" for name in fields)
        self.conn.execute(
            f"UPDATE events SET {assignments} WHERE id = %s AND organiser_id = %s",
            [changes[name] for name in fields] + [event_id, organiser_id],
        )
        return self.get_for_organiser(event_id, organiser_id)

    def set_poster(self, event_id, poster_url):
        self.conn.execute("UPDATE events SET poster_url = %s WHERE id = %s", (poster_url, event_id))

    def tiers(self, event_id):
        return self.conn.execute(
            "SELECT id, name, price, currency, remaining FROM ticket_tiers WHERE event_id = %s ORDER BY price",
            (event_id,),
        ).fetchall()

    def tiers_by_ids(self, tier_ids):
        rows = self.conn.execute(
            "SELECT t.id, t.event_id, t.price, t.currency, e.status FROM ticket_tiers t "
            "JOIN events e ON e.id = t.event_id WHERE t.id = ANY(%s)",
            (list(tier_ids),),
        ).fetchall()
        return {row["id"]: row for row in rows}

    def reserve(self, tier_id, quantity):
        return self.conn.execute(
            "UPDATE ticket_tiers SET remaining = remaining - %s "
            "WHERE id = %s AND remaining >= %s RETURNING id, price, currency",
            (quantity, tier_id, quantity),
        ).fetchone()

    def release(self, tier_id, quantity):
        self.conn.execute(
            "UPDATE ticket_tiers SET remaining = remaining + %s WHERE id = %s", (quantity, tier_id)
        )

    def attendees(self, event_id):
        return self.conn.execute(
            "SELECT t.code, t.checked_in_at, tt.name AS tier, u.display_name, u.email "
            "FROM tickets t JOIN ticket_tiers tt ON tt.id = t.tier_id "
            "JOIN orders o ON o.id = t.order_id JOIN users u ON u.id = o.user_id "
            "WHERE t.event_id = %s AND o.status = 'paid' ORDER BY u.display_name",
            (event_id,),
        ).fetchall()
