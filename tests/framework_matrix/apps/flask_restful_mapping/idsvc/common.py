"""The project's own API base: each API module lists its resources and their URLs; the base
registers them when the API is built."""
import collections

import flask
import flask_restful

ResourceMap = collections.namedtuple("ResourceMap", ["resource", "url", "kwargs"])


def construct_resource_map(resource, url, resource_kwargs, rel=None):
    if not url.startswith("/"):
        url = f"/{url}"
    return ResourceMap(resource=resource, url=url, kwargs=resource_kwargs)


class ResourceBase(flask_restful.Resource):
    collection_key = ""


class APIBase:
    resource_mapping = []

    def __init__(self):
        self.blueprint = flask.Blueprint(type(self).__name__, __name__)
        self.api = flask_restful.Api(self.blueprint)
        for r in self.resource_mapping:
            self.api.add_resource(r.resource, r.url, **r.kwargs)
