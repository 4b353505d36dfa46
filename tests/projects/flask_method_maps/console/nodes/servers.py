from flask import Blueprint, request
from flask_login import login_required

from console.nodes.base import NodeView

blueprint = Blueprint("servers", __name__, url_prefix="/browser/server")
SERVERS = {}


class ServerView(NodeView):
    node_type = "server"
    operations = {
        "obj": [{"get": "properties", "delete": "delete", "put": "update"}, {"get": "list", "post": "create"}],
        "children": [{"get": "children"}],
        "connect": [{"post": "connect"}],
    }

    @login_required
    def properties(self, server_id):
        return SERVERS.get(server_id, {})

    @login_required
    def list(self):
        return {"servers": list(SERVERS)}

    @login_required
    def create(self):
        SERVERS[len(SERVERS) + 1] = request.get_json()
        return {"created": len(SERVERS)}

    @login_required
    def update(self, server_id):
        SERVERS[server_id] = request.get_json()
        return {"updated": server_id}

    @login_required
    def delete(self, server_id):
        SERVERS.pop(server_id, None)
        return {"deleted": server_id}

    def connect(self, server_id):
        return {"connected": server_id, "password": request.form.get("password", "")}

    def summary(self, server_id):
        """Mapped by no part: a helper of the view, never an endpoint."""
        return {"id": server_id}


class AuditView(NodeView):
    """Registered by a classmethod that loops over nothing the routes come from."""

    operations = {"log": [{"get": "entries"}]}

    @classmethod
    def register_signals(cls, bus):
        bus.connect("audit", cls.entries)

    def entries(self, **kwargs):
        return {"entries": []}


ServerView.register_node_view(blueprint)
AuditView.register_signals(blueprint)
