from flask import request

from .pages import PageGroup, page


class LoanPages(PageGroup):
    def __init__(self, db):
        super().__init__("loans", __name__, url_prefix="/loans/")
        self.db = db

    @page("/")
    def overview(self):  # reach: request
        return {"loans": list(self.db)}

    @page("/<int:loan_id>/renew", methods=["POST", "PUT"])
    def renew(self, loan_id):  # reach: request
        self.db[loan_id] = request.form["until"]
        return {"renewed": loan_id}


class LoanReport:
    """Uses the same decorator but is no Blueprint: nothing serves it."""

    @page("/report")
    def report(self):  # reach: none
        return {}
