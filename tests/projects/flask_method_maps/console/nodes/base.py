"""A node of the object tree answers several URL parts; its `operations` map says which method
answers which verb under each part, and `register_node_view` registers them on a blueprint."""
from flask import request
from flask.views import View


class NodeView(View):
    operations = {
        "obj": [{"get": "properties", "delete": "delete", "put": "update"}, {"get": "list", "post": "create"}],
        "children": [{"get": "children"}],
    }
    node_type = None

    def __init__(self, **kwargs):
        self.cmd = kwargs["cmd"]

    @classmethod
    def generate_ops(cls):
        ops = []
        for part, verb_maps in cls.operations.items():
            for index, verbs in enumerate(verb_maps):
                ops.append({"cmd": part, "with_id": index == 0, "methods": [v.upper() for v in verbs]})
        return ops

    @classmethod
    def register_node_view(cls, blueprint):
        for op in cls.generate_ops():
            url = "/{0}/<int:{1}_id>".format(op["cmd"], cls.node_type) if op["with_id"] else "/{0}/".format(op["cmd"])
            blueprint.add_url_rule(url, view_func=cls.as_view(op["cmd"] + ("_id" if op["with_id"] else ""), cmd=op["cmd"]),
                                   methods=op["methods"])

    def dispatch_request(self, *args, **kwargs):
        verb = request.method.lower()
        for verbs in self.operations[self.cmd]:
            if verb in verbs:
                return getattr(self, verbs[verb])(*args, **kwargs)
        return {"error": "unsupported"}, 405

    def children(self, **kwargs):
        return {"children": []}


class Settings:
    """Not a view: its map's values are not HTTP verbs."""

    encodings = {"csv": [{"utf8": "encode_utf8"}]}

    def encode_utf8(self, text):
        return text.encode("utf-8")
