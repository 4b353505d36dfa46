"""Express routers built by a wrapper library, middleware that gates by redirecting, checks that
only turn away a caller who is signed in, and passport's pass-through strategies."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.express_mounts import with_express_mounts
from servicelens.sources.parsing import ParserPool


def _auth(source: str, rel: str = "src/app.js") -> dict[tuple[str, str], tuple[str, str]]:
    """The file's routes as the per-file phase reads them (TypeScript re-read where the grammar misreads)."""
    facts = analyze_javascript(rel, source, ParserPool())
    return {(r.methods[0], r.path): (r.auth, r.auth_evidence) for r in facts.routes}


def _served(files: dict[str, str]) -> set[tuple[str, str, str]]:
    pool = ParserPool()
    facts = with_express_mounts([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(r.methods[0], r.path, r.auth) for fact in facts for r in fact.routes}


APP = "const express = require('express');\nconst app = express();\n"


def test_a_router_from_a_promise_wrapper_is_followed_to_its_mount() -> None:
    reports = ("import Router from 'express-promise-router';\nconst reports = new Router();\n"
               "reports.get('/:id', async (req, res) => res.json({}));\nexport default reports;\n")
    billing = ("const router = require('express-promise-router')();\n"
               "router.post('/charge', async (req, res) => res.sendStatus(201));\nmodule.exports = router;\n")
    app = ("import express from 'express';\nimport reports from './routes/reports.js';\n"
           "import billing from './routes/billing.js';\nconst app = express();\n"
           "app.use('/reports', reports);\napp.use('/billing', billing);\n")
    assert _served({"app.ts": app, "routes/reports.ts": reports, "routes/billing.js": billing}) == {
        ("GET", "/reports/:id", "none"), ("POST", "/billing/charge", "none")}


def test_routers_mounted_by_a_function_the_application_is_handed_to() -> None:
    """`mount(app)` after `app.use(requireUser)`: the application's middleware runs before them."""
    index = ("import items from './items.js';\nexport default (app) => { app.use('/items', items); };\n")
    items = ("import { Router } from 'express';\nconst r = Router();\nr.delete('/:id', (req, res) => res.end());\n"
             "export default r;\n")
    guarded = ("import express from 'express';\nimport mount from './index.js';\nconst app = express();\n"
               "app.use((req, res, next) => req.user ? next() : res.sendStatus(401));\nmount(app);\n")
    undecided = ("import express from 'express';\nimport mount from './index.js';\nimport { tenant } from './tenant.js';\n"
                 "const app = express();\napp.use(tenant);\nmount(app);\n")
    tenant = "export function tenant(req, res, next) { pick(req, res); next(); }\n"
    assert _served({"app.ts": guarded, "index.ts": index, "items.ts": items}) == {("DELETE", "/items/:id", "required")}
    assert _served({"app.ts": undecided, "index.ts": index, "items.ts": items, "tenant.ts": tenant}) == {
        ("DELETE", "/items/:id", "unknown")}


def test_a_middleware_redirecting_to_sign_in_instead_of_calling_next_guards() -> None:
    routes = _auth(APP + "function signedIn(req, res, next) {\n"
                         "  if (req.user) { next(); } else { res.redirect('/login'); }\n}\n"
                         "app.get('/account', signedIn, (req, res) => res.json(req.user));\n")
    assert routes[("GET", "/account")] == ("required", "`signedIn` reads req.user and redirects instead of calling next()")


def test_a_handler_that_only_redirects_is_no_gate() -> None:
    routes = _auth(APP + "function home(req, res, next) { res.redirect(req.user ? '/dash' : '/welcome'); }\n"
                         "app.get('/', home, (req, res) => res.end());\n")
    assert routes[("GET", "/")][0] != "required"


def test_refusing_only_a_signed_in_callers_mismatch_guards_nobody() -> None:
    """A tenant check on `req.user` that lets a request without a user through is no sign-in gate."""
    source = ("import express from 'express';\nconst app = express();\n"
              "function sameTenant(req, res, next) {\n"
              "  if (req.user && req.user!.tenant !== currentTenant()) { return res.status(403).end(); }\n"
              "  next();\n}\n"
              "function member(req, res, next) {\n"
              "  if (!req.user || req.user!.tenant !== currentTenant()) { return res.status(403).end(); }\n"
              "  next();\n}\n"
              "app.get('/open', sameTenant, (req, res) => res.end());\n"
              "app.get('/closed', member, (req, res) => res.end());\n")
    assert _served({"src/app.ts": source}) == {("GET", "/open", "none"), ("GET", "/closed", "required")}


def test_a_session_strategy_passes_everyone_on() -> None:
    source = ("const passport = require('passport');\n" + APP
              + "app.get('/a', passport.authenticate('session'), (req, res) => res.end());\n"
                "app.get('/b', passport.authenticate(['session', 'jwt']), (req, res) => res.end());\n"
                "app.get('/c', passport.authenticate('jwt', { session: false }), (req, res) => res.end());\n"
                "app.get('/d', passport.authenticate(['jwt', 'api-key']), (req, res) => res.end());\n")
    assert _served({"app.js": source}) == {("GET", "/a", "none"), ("GET", "/b", "none"), ("GET", "/c", "required"),
                                           ("GET", "/d", "required")}


def test_a_url_parameter_authorized_with_the_callers_key_is_an_object_check() -> None:
    """The key and what the path names go to one call: the record is checked against who asks."""
    source = ("import { keys } from './keys';\n"
              "export async function orgKey(req, res, next) {\n"
              "  const key = req.get('x-api-key');\n  const orgId = req.params.orgId;\n"
              "  if (!(await keys.allows(key, orgId))) return res.sendStatus(403);\n  next();\n}\n"
              "export async function anyKey(req, res, next) {\n"
              "  const key = req.get('x-api-key');\n  const orgId = req.params.orgId;\n"
              "  if (!(await keys.valid(key))) return res.sendStatus(403);\n  audit(orgId);\n  next();\n}\n")
    facts = analyze_javascript("src/keys_mw.ts", source, ParserPool())
    checks = {p.key: p.url_object_check for p in facts.principals}
    assert checks["src.keys_mw.orgKey"] is True
    assert checks["src.keys_mw.anyKey"] is False
