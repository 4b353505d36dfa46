from stagepass.repositories import TicketRepository
from stagepass.services import InvalidInput

MAX_BATCH = 500


class CheckinService:
    def __init__(self, db):
        self.db = db

    @staticmethod
    def _admit(tickets, event_id, code, gate):
        ticket = tickets.find_by_code(code)
        if ticket is None or ticket["event_id"] != event_id or ticket["voided_at"] is not None:
            return {"code": code, "result": "invalid"}
        stamped = tickets.mark_checked_in(ticket["id"], gate)
        if stamped is None:
            return {"code": code, "result": "already_used", "checked_in_at": ticket["checked_in_at"]}
        return {"code": code, "result": "admitted", "checked_in_at": stamped["checked_in_at"]}

    def check_in(self, event_id, code, gate):
        with self.db.transaction() as conn:
            return self._admit(TicketRepository(conn), event_id, code, gate)

    def check_in_batch(self, event_id, codes, gate):
        if not isinstance(codes, list) or not 0 < len(codes) <= MAX_BATCH:
            raise InvalidInput(f"codes must be a list of 1 to {MAX_BATCH} ticket codes")
        results = []
        with self.db.transaction() as conn:
            tickets = TicketRepository(conn)
            for code in codes:
                results.append(self._admit(tickets, event_id, str(code), gate))
        return results
