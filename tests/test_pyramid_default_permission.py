"""Pyramid gives a routed view that names no permission the application's default one
(`Configurator(default_permission=...)`, `config.set_default_permission(...)`): it requires what
the security policy grants. Without a default, Pyramid calls the view for anyone (the policy is
not asked), once the review has read the configuration routing it; view predicates about the
caller (`is_authenticated=True`) keep anyone else out whatever the permission."""
from __future__ import annotations

from servicelens.api import review_source
from servicelens.config.settings import Settings

_VIEWS = '''
from pyramid.view import view_config


@view_config(route_name="notes", request_method="POST", renderer="json")
def add_note(request):
    return {"ok": True}
'''

_APP = '''
from pyramid.config import Configurator


def main(global_config, **settings):
    config = Configurator(settings=settings{default})
    config.add_route("notes", "/notes")
    config.scan()
    return config.make_wsgi_app()
'''


def _auth(default: str) -> tuple[str, str]:
    report = review_source({"notes/__init__.py": _APP.format(default=default), "notes/views.py": _VIEWS},
                           Settings(use_cache=False))
    return next((e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints)


def test_the_configurators_default_permission_is_required() -> None:
    auth, evidence = _auth(', default_permission="notes.write"')
    assert auth == "required" and "notes.write" in evidence


def test_without_a_default_a_view_naming_no_permission_is_open_to_anyone() -> None:
    auth, evidence = _auth("")
    assert auth == "none" and "no default permission" in evidence


def test_without_the_routing_configuration_the_view_stays_undecided() -> None:
    report = review_source({"notes/views.py": _VIEWS}, Settings(use_cache=False))
    assert {e.auth for s in report.overview.services for e in s.endpoints} == {"unknown"}


_PREDICATE_VIEWS = '''
from pyramid.view import view_config, view_defaults


@view_config(route_name="notes", request_method="POST", renderer="json", is_authenticated=True)
def add_note(request):
    return {"ok": True}


@view_config(route_name="notes", request_method="GET", renderer="json", is_authenticated=False)
def welcome_page(request):
    return {"welcome": True}


@view_defaults(route_name="drafts", is_authenticated=True, renderer="json")
class Drafts:
    def __init__(self, request):
        self.request = request

    @view_config(request_method="GET")
    def list_drafts(self):
        return {"drafts": []}
'''

_POLICY_APP = '''
from pyramid.config import Configurator

from notes.policy import NotesPolicy


def main(global_config, **settings):
    config = Configurator(settings=settings)
    config.set_security_policy(NotesPolicy())
    config.add_route("notes", "/notes")
    config.add_route("drafts", "/drafts")
    config.scan()
    return config.make_wsgi_app()
'''


def _auth_by_handler(views: str) -> dict[str, tuple[str, str]]:
    report = review_source({"notes/__init__.py": _POLICY_APP, "notes/views.py": views}, Settings(use_cache=False))
    return {e.handler.rsplit(".", 1)[-1]: (e.auth, e.auth_evidence) for s in report.overview.services
            for e in s.endpoints}


def test_a_predicate_matching_only_signed_in_callers_requires_one() -> None:
    found = _auth_by_handler(_PREDICATE_VIEWS)
    assert found["add_note"][0] == "required" and "is_authenticated" in found["add_note"][1]
    assert found["list_drafts"][0] == "required"  # from the class's view_defaults
    assert found["welcome_page"][0] == "none"  # the view for anonymous callers


_PRINCIPAL_VIEWS = '''
from pyramid.authorization import Authenticated, Everyone
from pyramid.view import view_config


@view_config(route_name="notes", request_method="POST", renderer="json", effective_principals=[Authenticated])
def add_note(request):
    return {"ok": True}


@view_config(route_name="notes", request_method="GET", renderer="json", effective_principals=Everyone)
def list_notes(request):
    return {"notes": []}
'''


def test_a_principals_predicate_requires_a_caller_unless_it_names_everyone() -> None:
    found = _auth_by_handler(_PRINCIPAL_VIEWS)
    assert found["add_note"][0] == "required" and "effective_principals" in found["add_note"][1]
    assert found["list_notes"][0] == "none"  # every request holds Everyone: anonymous callers match


def test_a_view_permission_names_the_installed_security_policy() -> None:
    found = _auth_by_handler(_VIEWS.replace('renderer="json"', 'renderer="json", permission="notes.write"'))
    auth, evidence = found["add_note"]
    assert auth == "required" and "notes.write" in evidence and "NotesPolicy" in evidence


def test_a_permission_the_review_cannot_read_is_not_taken_for_none() -> None:
    # `permission=PERMISSIONS["write"]` names a permission (whatever it evaluates to): the view is
    # not "no permission, open to anyone", with or without a default permission
    views = _VIEWS.replace('renderer="json"', 'renderer="json", permission=PERMISSIONS["write"]')
    for default in ("", ', default_permission="notes.write"'):
        report = review_source({"notes/__init__.py": _APP.format(default=default), "notes/views.py": views},
                               Settings(use_cache=False))
        auth, evidence = next((e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints)
        assert auth == "unknown" and "PERMISSIONS" in evidence


_SERVICES = '''
from cornice import Service

from notes.acl import NotesACL

drafts = Service(name="drafts", path="/drafts", factory=NotesACL)


@drafts.get(renderer="json")
def list_drafts(request):
    return {"drafts": []}


@drafts.post(permission="write", renderer="json")
def add_draft(request):
    return {"ok": True}
'''


def _service_auth(app: str) -> dict[str, tuple[str, str]]:
    report = review_source({"notes/__init__.py": app, "notes/services.py": _SERVICES,
                            "notes/acl.py": "class NotesACL:\n    def __init__(self, request):\n        self.request = request\n"},
                           Settings(use_cache=False))
    return {e.method: (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints
            if e.path == "/drafts"}


def test_a_cornice_service_view_naming_no_permission_is_open_when_the_app_has_no_default() -> None:
    found = _service_auth(_APP.format(default=""))
    assert found["GET"][0] == "none" and "no default permission" in found["GET"][1]
    assert found["POST"][0] == "required"


def test_a_cornice_service_view_takes_the_apps_default_permission() -> None:
    found = _service_auth(_APP.format(default=', default_permission="notes.read"'))
    assert found["GET"][0] == "required" and "notes.read" in found["GET"][1]


def test_a_cornice_service_without_the_configuration_stays_undecided() -> None:
    report = review_source({"notes/services.py": _SERVICES}, Settings(use_cache=False))
    assert {e.method: e.auth for s in report.overview.services for e in s.endpoints}["GET"] == "unknown"
