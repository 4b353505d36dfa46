"""Project bases of Flask class views read from every file's text (endpoints.view_bases): which
descend from a serializing flask-restful/restx `Resource`, whose verb methods answer JSON."""
from __future__ import annotations

from servicelens.endpoints.view_bases import serializing_base_names, view_base_entries, view_base_names

RESTX_BASE = """\
from flask_restx import Resource

class API(Resource):
    pass
"""

METHOD_VIEW_BASE = """\
from flask.views import MethodView

class Page(MethodView):
    pass
"""

DERIVED = """\
from app.api import API
from app.pages import Page

class DatasetAPI(API):
    def get(self): ...

class ArchivedDatasetAPI(DatasetAPI):
    def get(self): ...

class DatasetPage(Page):
    def get(self): ...
"""

# a model named Resource in a module that imports no REST framework is no view
MODEL_NAMED_RESOURCE = """\
from flask import current_app
from mongoengine import Document

class Resource(Document):
    pass

class CommunityResource(Resource):
    pass
"""


def test_descendants_of_a_restx_resource_serialize_their_returns() -> None:
    entries = view_base_entries([RESTX_BASE, METHOD_VIEW_BASE, DERIVED])
    assert serializing_base_names(entries) == {"API", "DatasetAPI", "ArchivedDatasetAPI"}
    assert view_base_names(entries) == {"API", "DatasetAPI", "ArchivedDatasetAPI", "Page", "DatasetPage"}


def test_a_class_named_resource_outside_a_rest_module_is_not_one() -> None:
    assert serializing_base_names(view_base_entries([MODEL_NAMED_RESOURCE])) == frozenset()
