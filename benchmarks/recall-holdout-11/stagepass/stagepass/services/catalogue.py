from stagepass.repositories import EventRepository
from stagepass.services import InvalidInput, NotFound


class CatalogueService:
    def __init__(self, db):
        self.db = db

    def search(self, **filters):
        with self.db.connection() as conn:
            return EventRepository(conn).search(**filters)

    def get_event(self, event_id):
        with self.db.connection() as conn:
            events = EventRepository(conn)
            event = events.get_published(event_id)
            if event is None:
                raise NotFound("Event not found")
            event["tiers"] = events.tiers(event_id)
        return event

    def update_event(self, organiser_id, event_id, changes):
        if not isinstance(changes, dict):
            raise InvalidInput("Expected a JSON object")
        if "status" in changes and changes["status"] not in ("draft", "published", "cancelled"):
            raise InvalidInput("Unknown status")
        with self.db.transaction() as conn:
            event = EventRepository(conn).update(event_id, organiser_id, changes)
        if event is None:
            raise NotFound("Event not found")
        return event

    def owned_event(self, organiser_id, event_id):
        with self.db.connection() as conn:
            event = EventRepository(conn).get_for_organiser(event_id, organiser_id)
        if event is None:
            raise NotFound("Event not found")
        return event

    def attendees(self, organiser_id, event_id):
        self.owned_event(organiser_id, event_id)
        with self.db.connection() as conn:
            return EventRepository(conn).attendees(event_id)
