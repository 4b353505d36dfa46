"""A package's value exported by a project module (`export default passport`) is the package's
project-wide: middleware mounted through it is judged by the knowledge file
(analysis/javascript_package_exports.py, frameworks/express_mounts.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.analysis.javascript_package_exports import package_exports, package_renames
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

ITEMS_ESM = ("import { Router } from 'express';\nconst router = Router();\n"
             "router.post('/items', (req, res) => res.sendStatus(201));\nexport default router;\n")
ITEMS_CJS = ("const router = require('express').Router();\n"
             "router.delete('/items/:id', (req, res) => res.sendStatus(204));\nmodule.exports = router;\n")


def _routes(files: dict[str, str]) -> set[tuple[str, str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()], ())
    return {(r.methods[0], r.path, r.auth) for fact in facts for r in fact.routes}


def test_passport_configured_in_a_module_and_mounted_from_it_checks_nobody_js() -> None:
    """`passport.initialize()` and `passport.session()` restore a user and refuse nobody, whichever
    module hands passport on: a router mounted after them alone is open."""
    setup = ("import passport from 'passport';\nimport { Strategy } from 'passport-local';\n"
             "passport.use(new Strategy((u, p, done) => done(null, false)));\nexport default passport;\n")
    app = ("import express from 'express';\nimport passport from './auth/setup.js';\nimport items from './items.js';\n"
           "const app = express();\napp.use(passport.initialize());\napp.use(passport.session());\n"
           "app.use('/api', items);\n")
    assert _routes({"src/app.js": app, "src/auth/setup.js": setup, "src/items.js": ITEMS_ESM}) == {
        ("POST", "/api/items", "none")}


def test_a_guard_package_handed_on_by_module_exports_guards_ts() -> None:
    """`module.exports = expressjwt` of express-jwt, called where it is mounted: the library guard."""
    jwt = "const { expressjwt } = require('express-jwt');\nmodule.exports = expressjwt;\n"
    app = ("const express = require('express');\nconst checkJwt = require('./lib/jwt');\nconst app = express();\n"
           "app.use('/api', checkJwt({ secret: process.env.JWT_SECRET, algorithms: ['HS256'] }), require('./items'));\n")
    assert _routes({"app.ts": app, "lib/jwt.ts": jwt, "items.ts": ITEMS_CJS}) == {
        ("DELETE", "/api/items/:id", "required")}


def test_a_strategy_argument_that_may_pass_everyone_stays_undecided() -> None:
    """`passport.authenticate('session')` refuses nobody, `('jwt')` does: through a re-export the
    arguments are not kept with the name, so neither is decided."""
    setup = "import passport from 'passport';\nexport default passport;\n"
    app = ("import express from 'express';\nimport passport from './setup.js';\nimport items from './items.js';\n"
           "const app = express();\napp.use('/api', passport.authenticate('session'), items);\n")
    assert _routes({"app.ts": app, "setup.ts": setup, "items.ts": ITEMS_ESM}) == {("POST", "/api/items", "unknown")}


def test_a_project_modules_own_middleware_under_a_library_name_is_not_the_library() -> None:
    """A project module exporting its own object whose `session` checks the caller: judged by its
    body, not taken for passport's."""
    own = ("function session(req, res, next) {\n  if (!req.get('authorization')) return res.sendStatus(401);\n"
           "  next();\n}\nconst passport = { session };\nexport default passport;\n")
    app = ("import express from 'express';\nimport passport from './own.js';\nimport items from './items.js';\n"
           "const app = express();\napp.use(passport.session);\napp.use('/api', items);\n")
    assert ("POST", "/api/items", "none") not in _routes({"app.js": app, "own.js": own, "items.js": ITEMS_ESM})


def test_a_reassigned_name_or_a_project_value_is_no_package_alias() -> None:
    pool = ParserPool()
    moved = analyze_javascript("m.js", "import axios from 'axios';\nlet c = axios;\nc = null;\nexport default c;\n", pool)
    assert moved.package_exports == ()
    forwarded = analyze_javascript("n.js", "import { pool } from './db.js';\nexport default pool;\n", pool)
    rename = package_renames(forwarded.package_exports, ["n", "db"])
    assert rename is None


def test_named_and_default_exports_are_recorded() -> None:
    pool = ParserPool()
    fact = analyze_javascript("lib/http.js", "const axios = require('axios');\nexports.http = axios;\n"
                              "module.exports.client = axios;\n", pool)
    assert set(fact.package_exports) == {("lib.http.http", "axios"), ("lib.http.client", "axios")}
    rename = package_renames(fact.package_exports, ["lib.http"])
    assert rename is not None and rename("lib.http.client.get") == "axios.get"
    assert rename("lib.http.other") == "lib.http.other"


def test_package_exports_reads_module_level_statements_only() -> None:
    pool = ParserPool()
    fact = analyze_javascript("x.js", "import passport from 'passport';\n"
                              "function f() { const p = passport; return p; }\n", pool)
    assert package_exports.__name__ and fact.package_exports == ()
