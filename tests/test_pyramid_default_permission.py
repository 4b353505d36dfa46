"""Pyramid gives a routed view that names no permission the application's default one
(`Configurator(default_permission=...)`, `config.set_default_permission(...)`): it requires what
the security policy grants. Without a default, the policy alone decides (not judged)."""
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


def test_without_a_default_the_security_policy_decides() -> None:
    assert _auth("")[0] == "unknown"
