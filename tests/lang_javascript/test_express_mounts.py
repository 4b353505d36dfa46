"""Routes across files: a router's routes get the paths of every place it is mounted, and
auth from the middleware in effect there."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.express_mounts import with_express_mounts
from servicelens.sources.parsing import ParserPool

ROUTER = ("const router = require('express').Router();\n"
          "router.post('/items', (req, res) => res.sendStatus(201));\nmodule.exports = router;\n")


def _routes(files: dict[str, str]) -> set[tuple[str, str, str]]:
    pool = ParserPool()
    facts = with_express_mounts([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(r.methods[0], r.path, r.auth) for fact in facts for r in fact.routes}


def test_a_router_mounted_twice_is_served_at_both_paths() -> None:
    app = ("const express = require('express');\nconst app = express();\nconst items = require('./items');\n"
           "const { guard } = require('./guard');\n"
           "app.use('/v1', items);\napp.use('/v2', guard, items);\n")
    guard = "exports.guard = (req, res, next) => req.user ? next() : res.sendStatus(401);\n"
    assert _routes({"app.js": app, "items.js": ROUTER, "guard.js": guard}) == {
        ("POST", "/v1/items", "none"), ("POST", "/v2/items", "required")}


def test_a_router_no_application_mounts_stays_undecided() -> None:
    found = _routes({"items.js": ROUTER})
    assert found == {("POST", "/items", "unknown")}


def test_middleware_outside_the_review_keeps_auth_unknown() -> None:
    app = ("const express = require('express');\nconst session = require('some-sso');\nconst app = express();\n"
           "app.use(session.check());\napp.use('/api', require('./items'));\n")
    assert _routes({"app.js": app, "items.js": ROUTER}) == {("POST", "/api/items", "unknown")}


def test_an_esm_default_export_mounted_by_default_import() -> None:
    app = ("import express from 'express';\nimport items from './routes/items.js';\nconst app = express();\n"
           "app.use('/shop', items);\n")
    router = ("import { Router } from 'express';\nconst r = Router();\nr.get('/', (req, res) => res.json([]));\n"
              "export default r;\n")
    assert _routes({"app.ts": app, "routes/items.ts": router}) == {("GET", "/shop", "none")}


def test_routes_installed_through_a_member_of_a_default_export_object() -> None:
    """`export default { install }` imported whole and called `Routes.install(router)`: the member is
    the module's function, so the router it is handed serves the routes it registers."""
    server = ("import express from 'express';\nimport Routes from './routes.mjs';\nconst app = express();\n"
              "const web = express.Router();\napp.use(web);\nawait Routes.install(web);\n")
    routes = ("import Access from './access.mjs';\n"
              "async function install(web) {\n  web.use(Access.stamp);\n"
              "  web.post('/items', (req, res) => res.sendStatus(201));\n}\nexport default { install };\n")
    access = ("function stamp(req, res, next) {\n  res.set('x-at', String(Date.now()));\n  next();\n}\n"
              "export default { stamp };\n")
    assert _routes({"server.mjs": server, "routes.mjs": routes, "access.mjs": access}) == {("POST", "/items", "none")}
