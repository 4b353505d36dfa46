"""Express routes of one file: methods, local paths, handlers, middleware judged by meaning."""
from __future__ import annotations

from servicelens.frameworks.express import EXPRESS_ROOT, NO_CHECK_HERE, express_facts
from servicelens.frameworks.express_knowledge import middleware_knowledge
from tests.lang_javascript.lowering_helpers import lower


def _facts(source: str, rel: str = "src/app.js"):
    module = lower(source, rel)
    return express_facts(module, {i.local: i.target for i in module.imports}, middleware_knowledge())


def _routes(source: str, rel: str = "src/app.js") -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(r.methods[0], r.path): (r.qualname, r.auth, r.auth_evidence) for r in _facts(source, rel).routes}


HEADER = "const express = require('express');\nconst app = express();\n"


def test_methods_paths_and_handlers() -> None:
    routes = _routes(HEADER + "function list(req, res) { res.json([]); }\n"
                              "app.get('/items', list);\napp.post('/items', (req, res) => res.sendStatus(201));\n"
                              "app.delete('/items/:id', async function remove(req, res) {});\n"
                              "app.get('env');\n")
    assert set(routes) == {("GET", "/items"), ("POST", "/items"), ("DELETE", "/items/:id")}
    assert routes[("GET", "/items")][0] == "list"
    assert routes[("POST", "/items")][0] == "<anon@5>"
    assert routes[("DELETE", "/items/:id")][0] == "remove"


def test_route_chains_and_router_objects() -> None:
    facts = _facts("import { Router } from 'express';\nconst router = Router();\n"
                   "router.route('/x').get(a).post(b);\nexport default router;\n", "src/routes/x.ts")
    assert {(r.methods[0], r.path, r.router) for r in facts.routes} == {
        ("GET", "/x", "src.routes.x.router"), ("POST", "/x", "src.routes.x.router")}
    assert {(e.parent, e.child) for e in facts.edges} == {
        ("src.routes.x", "src.routes.x.router"), ("src.routes.x.default", "src.routes.x.router")}


def test_mounts_are_edges_with_the_middleware_in_effect() -> None:
    facts = _facts(HEADER + "const users = require('./routes/users');\nconst { check } = require('./auth');\n"
                            "app.use(express.json());\napp.use('/users', check, users);\n"
                            "app.use('/legacy', require('./routes/legacy'));\n")
    mounts = {e.child: e for e in facts.edges if e.parent == "src.app.app"}
    assert mounts["src.routes.users"].prefix == "/users"
    assert mounts["src.routes.users"].dependencies == ("src.auth.check",)
    assert mounts["src.routes.legacy"].prefix == "/legacy"
    assert any(e.parent == EXPRESS_ROOT and e.child == "src.app.app" for e in facts.edges)


def test_a_middleware_that_checks_a_credential_and_refuses_guards() -> None:
    routes = _routes(HEADER + "function requireUser(req, res, next) {\n"
                              "  if (!req.user) return res.status(401).end();\n  next();\n}\n"
                              "app.post('/orders', requireUser, (req, res) => res.sendStatus(201));\n")
    assert routes[("POST", "/orders")][1:] == ("required", "`requireUser` reads req.user and answers 401")


def test_auth_is_decided_by_body_not_by_name() -> None:
    routes = _routes(HEADER + "function authenticate(req, res, next) { next(); }\n"
                              "app.post('/orders', authenticate, (req, res) => res.sendStatus(201));\n")
    assert routes[("POST", "/orders")][1:] == ("unknown", NO_CHECK_HERE)


def test_app_level_middleware_applies_to_later_routes_and_only_below_its_prefix() -> None:
    source = HEADER + ("const apiKey = (req, res, next) => req.get('x-api-key') === process.env.KEY ? next() : "
                       "next(new Error('denied'));\n"
                       "app.get('/before', (req, res) => res.end());\n"
                       "app.use('/api', apiKey);\n"
                       "app.get('/api/data', (req, res) => res.end());\napp.get('/apix', (req, res) => res.end());\n")
    routes = _routes(source)
    assert routes[("GET", "/before")][1] == "unknown"
    assert routes[("GET", "/api/data")][1] == "required"
    assert routes[("GET", "/apix")][1] == "unknown"


def test_package_middleware_comes_from_the_knowledge_file() -> None:
    routes = _routes(HEADER + "const passport = require('passport');\nconst { expressjwt } = require('express-jwt');\n"
                              "const jwtCheck = expressjwt({ secret: 's', algorithms: ['HS256'] });\n"
                              "app.get('/me', passport.authenticate('jwt', { session: false }), (req, res) => {});\n"
                              "app.get('/orders', jwtCheck, (req, res) => {});\n"
                              "app.get('/open', require('cors')(), (req, res) => {});\n")
    assert routes[("GET", "/me")][1] == "required"
    assert routes[("GET", "/orders")][1] == "required"
    assert routes[("GET", "/open")][1:] == ("unknown", NO_CHECK_HERE)


def test_a_middleware_factory_is_judged_by_the_function_it_returns() -> None:
    routes = _routes(HEADER + "function requireRole(role) {\n"
                              "  return (req, res, next) => req.user && req.user.roles.includes(role) ? next() "
                              ": res.sendStatus(403);\n}\n"
                              "app.delete('/users/:id', requireRole('admin'), (req, res) => res.end());\n")
    assert routes[("DELETE", "/users/:id")][1] == "required"


def test_a_handler_that_checks_credentials_itself() -> None:
    routes = _routes(HEADER + "app.post('/orders', (req, res) => {\n"
                              "  if (!req.headers.authorization) { return res.sendStatus(401); }\n"
                              "  res.sendStatus(201);\n});\n")
    assert routes[("POST", "/orders")][1] == "required"
    assert routes[("POST", "/orders")][2].startswith("the handler checks credentials itself")


def test_an_imported_middleware_is_left_to_the_project_phase() -> None:
    routes = _routes(HEADER + "const { verify } = require('./auth');\n"
                              "app.post('/orders', verify, (req, res) => res.end());\n")
    qualname, auth, evidence = routes[("POST", "/orders")]
    assert auth == "unknown" and "src.auth.verify" in evidence


def test_every_function_is_judged_for_other_files() -> None:
    facts = _facts("function check(req, res, next) { if (!req.session.userId) return res.sendStatus(401); next(); }\n"
                   "function log(req, res, next) { console.log(req.url); next(); }\n", "src/auth.js")
    verdicts = {p.key: p.verdict for p in facts.principals}
    assert verdicts == {"src.auth.check": "guard", "src.auth.log": "inert"}


def test_a_verifier_whose_failure_is_only_logged_refuses_nobody() -> None:
    """`catch (e) { console.error(..., e) }` carries on: the error is written to a log, not handed
    to the request; `catch (e) { next(e) }` still ends it."""
    logged = ("function decode(req, res, next) {\n  try { req.claims = jwt.verify(req.headers.authorization, KEY); }\n"
              "  catch (e) { console.error('token was invalid', e); }\n  next();\n}\n")
    passed_on = logged.replace("function decode", "function check").replace("console.error('token was invalid', e)",
                                                                            "next(e)")
    routes = _routes(HEADER + "const jwt = require('jsonwebtoken');\n" + logged + passed_on
                     + "app.get('/feed', decode, (req, res) => res.json([]));\n"
                     + "app.get('/inbox', check, (req, res) => res.json([]));\n")
    assert routes[("GET", "/feed")][1:] == ("unknown", NO_CHECK_HERE)
    assert routes[("GET", "/inbox")][1] == "required"
