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


HOOKS = """import { Router } from 'express';
const router = Router();
function createRouteHandler(path, handler) {
  router.route(path).get(check, handler).post(check, handler);
}
function check(req, res, next) { next(); }
function addGet(path, handler) { router.get(path, handler); }
createRouteHandler('/flows/:flowId/sync', (req, res) => res.send('a'));
createRouteHandler('/flows/:flowId', (req, res) => res.send('b'));
addGet('/ping', (req, res) => res.send('p'));
export default router;
"""


def test_a_function_registering_its_path_parameter_serves_each_literal_it_is_called_with() -> None:
    """`createRouteHandler(path, h)` doing `router.route(path).get(...)`: one route per call of the
    function in the module, under the mount's prefix, not one route at the prefix itself."""
    app = "import express from 'express';\nimport hooks from './hooks.js';\nconst app = express();\napp.use('/webhooks', hooks);\n"
    assert _routes({"app.js": app, "hooks.js": HOOKS}) == {
        ("GET", "/webhooks/flows/:flowId/sync", "none"), ("POST", "/webhooks/flows/:flowId/sync", "none"),
        ("GET", "/webhooks/flows/:flowId", "none"), ("POST", "/webhooks/flows/:flowId", "none"),
        ("GET", "/webhooks/ping", "none")}


def test_a_path_parameter_one_call_hands_an_unread_value_gives_no_guessed_paths() -> None:
    """A call passing a variable: the paths are not all known, so none is guessed from the others."""
    app = "import express from 'express';\nimport hooks from './hooks.js';\nconst app = express();\napp.use('/webhooks', hooks);\n"
    hooks = HOOKS.replace("addGet('/ping',", "addGet(process.env.PING_PATH,")
    paths = {path for _, path, _ in _routes({"app.js": app, "hooks.js": hooks})}
    assert "/webhooks/ping" not in paths and "/webhooks/flows/:flowId" in paths


API_TOKEN = """export const isApiTokenAuthenticated = async (request) => {
  const token = request.headers['x-api-token'];
  if (token == null) return false;
  const found = await ApiToken.query().findOne({ token });
  return found != null;
};
export const authenticateApiToken = async (request, response, next) => {
  if (await isApiTokenAuthenticated(request)) {
    next();
  } else {
    return response.status(401).end();
  }
};
"""


def test_middleware_on_the_mount_path_or_router_use_guards_the_routes_registered_after_it() -> None:
    """`router.use('/v1', license, authenticateApiToken, v1)` guards every route of `v1`, decided by
    the middleware's body (a helper reading the token header, 401 otherwise); `v1.use(mw)` guards
    the routes registered after it, not one registered before."""
    api = ("import { Router } from 'express';\nimport v1 from './v1.js';\n"
           "import { authenticateApiToken } from './token.js';\nconst router = Router();\n"
           "router.use('/v1', license, authenticateApiToken, v1);\nexport default router;\n"
           "function license(req, res, next) { next(); }\n")
    v1 = ("import { Router } from 'express';\nimport { authenticateApiToken } from './token.js';\nconst r = Router();\n"
          "r.get('/flows', (req, res) => res.json([]));\nexport default r;\n")
    app = "import express from 'express';\nimport api from './api.js';\nconst app = express();\napp.use('/api', api);\n"
    assert _routes({"app.js": app, "api.js": api, "v1.js": v1, "token.js": API_TOKEN}) == {
        ("GET", "/api/v1/flows", "required")}
    own = ("import { Router } from 'express';\nimport { authenticateApiToken } from './token.js';\nconst r = Router();\n"
           "r.get('/version', (req, res) => res.json({}));\nr.use(authenticateApiToken);\n"
           "r.get('/flows', (req, res) => res.json([]));\nexport default r;\n")
    app = "import express from 'express';\nimport own from './own.js';\nconst app = express();\napp.use('/api', own);\n"
    assert _routes({"app.js": app, "own.js": own, "token.js": API_TOKEN}) == {
        ("GET", "/api/version", "none"), ("GET", "/api/flows", "required")}


def test_a_middleware_refusing_on_a_header_that_names_no_credential_is_not_a_guard() -> None:
    """The same 401 after a helper reading `x-request-id`: no credential is read, so not required."""
    v1 = ("import { Router } from 'express';\nimport { authenticateApiToken } from './token.js';\nconst r = Router();\n"
          "r.use(authenticateApiToken);\nr.get('/flows', (req, res) => res.json([]));\nexport default r;\n")
    app = "import express from 'express';\nimport v1 from './v1.js';\nconst app = express();\napp.use('/api', v1);\n"
    token = API_TOKEN.replace("x-api-token", "x-request-id")
    assert _routes({"app.js": app, "v1.js": v1, "token.js": token}) != {("GET", "/api/flows", "required")}


def test_a_package_logger_exported_by_a_project_module_checks_nobody() -> None:
    """`const m = morgan(...); export default m` used as `app.use(m)`: the package's judgement (a
    request logger) stands for the export; a value of a package the knowledge file does not know stays unknown."""
    logger = "import morgan from 'morgan';\nconst m = morgan(':method :url', { stream });\nexport default m;\n"
    app = ("import express from 'express';\nimport m from './logger.js';\nimport items from './items.js';\n"
           "const app = express();\napp.use(m);\napp.use('/api', items);\n")
    assert _routes({"app.js": app, "logger.js": logger, "items.js": ROUTER}) == {("POST", "/api/items", "none")}
    other = logger.replace("morgan", "some-sso").replace("import some-sso", "import sso").replace("= some-sso(", "= sso(")
    assert _routes({"app.js": app, "logger.js": other, "items.js": ROUTER}) == {("POST", "/api/items", "unknown")}
