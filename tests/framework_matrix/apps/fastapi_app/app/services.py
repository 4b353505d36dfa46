class OrderService:
    def __init__(self, user):  # reach: request
        self.user = user

    def place(self, items):  # reach: request
        return {"items": items, "user": self.user}


class ReportService:
    def place(self, rows):  # reach: none
        return rows
