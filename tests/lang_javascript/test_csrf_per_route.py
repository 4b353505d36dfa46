"""csrf: a state-changing route left out of a CSRF check its sibling routes apply one by one
(rules/javascript/csrf.py, rules/javascript/_csrf_checks.py). The cases that fire are fixtures
(fixtures/csrf/per_route_check, per_route_library); these are the look-alikes that must not."""
from __future__ import annotations

from pathlib import Path

from servicelens.api import review
from servicelens.config.settings import Settings


def _csrf_lines(tmp_path: Path, files: dict[str, str]) -> set[tuple[str, int]]:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, "utf-8")
    report = review(tmp_path, Settings(select=frozenset({"csrf"}), use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line) for f in report.findings if f.concern == "csrf"}


SESSION_APP = """const express = require('express');
const session = require('express-session');
const routes = require('./routes');
const app = express();
app.use(session({ secret: process.env.S, cookie: { secure: true, sameSite: %s } }));
app.use('/api', routes);
app.listen(3000);
"""


def _routes(check: str, name: str) -> str:
    return (f"const router = require('express').Router();\n{check}\n"
            f"router.put('/a', {name}, (req, res) => res.sendStatus(204));\n"
            f"router.delete('/b/:id', {name}, (req, res) => res.sendStatus(204));\n"
            "router.post('/c', (req, res) => res.sendStatus(201));\nmodule.exports = router;\n")


TOKEN_CHECK = ("function verifyCsrf(req, res, next) {\n  const expected = req.session.csrfToken;\n"
               "  if (!expected || req.get('x-csrf-token') !== expected) return res.sendStatus(403);\n"
               "  next();\n}")


def test_an_identity_comparison_applied_per_route_is_no_csrf_check(tmp_path: Path) -> None:
    """Comparing the body's owner id with the session's user id decides whose record it is, not
    whether the request came from the site's own page."""
    same_user = ("function sameUser(req, res, next) {\n"
                 "  if (req.body.ownerId !== req.session.userId) return res.sendStatus(403);\n  next();\n}")
    found = _csrf_lines(tmp_path, {"app.js": SESSION_APP % "'none'", "routes.js": _routes(same_user, "sameUser")})
    assert not {line for path, line in found if path == "routes.js"}


def test_a_function_named_for_csrf_that_compares_nothing_is_no_check(tmp_path: Path) -> None:
    named = "function verifyCsrf(req, res, next) {\n  next();\n}"
    found = _csrf_lines(tmp_path, {"app.js": SESSION_APP % "'none'", "routes.js": _routes(named, "verifyCsrf")})
    assert not {line for path, line in found if path == "routes.ts"}
    assert ("routes.js", 7) not in found


def test_a_router_whose_every_write_is_checked_is_silent(tmp_path: Path) -> None:
    routes = ("const router = require('express').Router();\n" + TOKEN_CHECK + "\nrouter.use(verifyCsrf);\n"
              "router.put('/a', (req, res) => res.sendStatus(204));\n"
              "router.post('/c', (req, res) => res.sendStatus(201));\nmodule.exports = router;\n")
    assert _csrf_lines(tmp_path, {"app.ts": SESSION_APP % "'none'", "routes.ts": routes}) == set()


def test_a_samesite_strict_session_cookie_is_not_sent_by_another_site(tmp_path: Path) -> None:
    found = _csrf_lines(tmp_path, {"app.js": SESSION_APP % "'strict'", "routes.js": _routes(TOKEN_CHECK, "verifyCsrf")})
    assert found == set()


def test_the_same_router_with_a_cross_site_cookie_fires_at_the_unchecked_route(tmp_path: Path) -> None:
    """The control for the look-alikes above: the same shape with a real check and `sameSite: 'none'`."""
    found = _csrf_lines(tmp_path, {"app.ts": SESSION_APP % "'none'", "routes.ts": _routes(TOKEN_CHECK, "verifyCsrf")})
    assert ("routes.ts", 9) in found and ("routes.ts", 7) not in found and ("routes.ts", 8) not in found
