"""Decorator-routed controller libraries beside NestJS (inversify-express-utils, routing-controllers,
tsoa): routes from decorated classes, the middleware or auth decorator in effect, a middleware named
by a container token, inherited, or refusing through its own helper method."""
from __future__ import annotations

from pathlib import Path

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

FIXTURES = Path(__file__).parent / "fixtures"


def _routes(root: Path) -> dict[tuple[str, str], tuple[str, str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(p.relative_to(root).as_posix(), p.read_text("utf-8"), pool)
                            for p in sorted(root.rglob("*.ts"))])
    return {(r.methods[0], r.path): (r.framework, r.auth, r.auth_evidence) for f in facts for r in f.routes}


def test_inversify_controllers_middleware_tokens_bindings_and_bases() -> None:
    routes = _routes(FIXTURES / "missing-authentication" / "inversify-service")
    assert set(routes) == {("GET", "/notes"), ("POST", "/notes"), ("DELETE", "/notes/:id"),
                           ("GET", "/admin/healthcheck"), ("POST", "/admin/users/:userUuid/disable"),
                           ("POST", "/admin/users/:userUuid/enable"), ("DELETE", "/admin/users/:userUuid/mfa"),
                           ("DELETE", "/admin/users/:userUuid")}
    assert {framework for framework, _, _ in routes.values()} == {"inversify-express-utils"}
    # the token bound by toDynamicValue(() => new SessionMiddleware(...)), refusing in its own helper
    assert routes[("DELETE", "/notes/:id")][1] == "required"
    assert "SessionMiddleware.handler" in routes[("DELETE", "/notes/:id")][2]
    # the token bound by .to(RequiredTokenMiddleware), whose handler is its base class's
    assert routes[("POST", "/admin/users/:userUuid/enable")][1] == "required"
    assert "TokenMiddleware.handler" in routes[("POST", "/admin/users/:userUuid/enable")][2]
    assert routes[("DELETE", "/admin/users/:userUuid")][1] == "none"  # a logger checks nobody
    assert routes[("POST", "/admin/users/:userUuid/disable")][1] == "none"
    assert routes[("DELETE", "/admin/users/:userUuid/mfa")][1] == "required"  # answers 401 to everyone


def test_routing_controllers_use_before_and_authorized() -> None:
    routes = _routes(FIXTURES / "missing-authentication" / "routing-controllers-service")
    assert routes[("POST", "/orders")][:2] == ("routing-controllers", "required")
    assert "JwtMiddleware.use" in routes[("POST", "/orders")][2]
    assert routes[("PUT", "/orders/:id")][1] == "required"
    assert "authorizationChecker" in routes[("PUT", "/orders/:id")][2]
    assert routes[("DELETE", "/admin/orders")][1] == "required"  # @Authorized on the class
    assert routes[("DELETE", "/orders/:id")][1] == "none"
    assert routes[("GET", "/orders")][1] == "none"


def test_tsoa_security_on_the_class_is_lifted_by_no_security() -> None:
    routes = _routes(FIXTURES / "missing-authentication" / "tsoa-service")
    assert routes[("GET", "/accounts/{accountId}")][:2] == ("tsoa", "required")
    assert routes[("POST", "/accounts/{accountId}/close")][1] == "required"
    assert routes[("POST", "/accounts/{accountId}/reopen")][1] == "none"
    assert routes[("POST", "/signup")][1] == "none"
