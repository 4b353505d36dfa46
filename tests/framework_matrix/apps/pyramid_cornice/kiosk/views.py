from cornice import Service
from cornice.resource import resource
from pyramid.view import view_config

status = Service(name="status", path="/status", description="Kiosk status")


@status.get()
def kiosk_status(request):  # reach: request
    return {"ok": True}


@view_config(route_name="ticket", request_method=("GET", "HEAD"), renderer="json")
def show_ticket(request):  # reach: request
    return {"ticket": request.matchdict["ticket_id"]}


@resource(collection_path="/queues", path="/queues/{queue_id}")
class Queue:
    def __init__(self, request, context=None):
        self.request = request

    def collection_post(self):  # reach: request
        return {"created": True}

    def get(self):  # reach: request
        return {"queue": self.request.matchdict["queue_id"]}

    def describe(self):
        return "a queue"
