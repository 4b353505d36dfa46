"""Express/Koa global middleware that authenticates every request except the paths it lets
through first (`if (PUBLIC.includes(req.path)) return next();` ahead of a 401): the excepted
routes are open, the rest guarded, and a path test the review cannot read decides nothing
(frameworks/express.py, frameworks/hook_path_exemptions.py, frameworks/express_mounts.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

APP = """import express from 'express';
import jwt from 'jsonwebtoken';
import usersRouter from './routes/users';
const app = express();
const PUBLIC = ['/api/login', '/api/health'];
function auth(req, res, next) {
  if (PUBLIC.includes(req.path)) {
    return next();
  }
  if (req.path.startsWith('/api/public/') || (req.path === '/api/signup' && req.method === 'POST')) return next();
  const token = req.headers.authorization;
  if (!token) return res.status(401).json({ error: 'unauthorized' });
  req.user = jwt.verify(token, process.env.SECRET);
  next();
}
app.use(auth);
app.post('/api/login', (req, res) => res.json({ token: 't' }));
app.get('/api/health', (req, res) => res.json({ ok: true }));
app.post('/api/signup', (req, res) => res.json(req.body));
app.get('/api/signup', (req, res) => res.json({ form: true }));
app.post('/api/orders', (req, res) => res.json(req.body));
app.use('/api', usersRouter);
app.listen(3000);
"""
USERS = """import { Router } from 'express';
const router = Router();
router.get('/public/profile', (req, res) => res.json({}));
router.delete('/users/:id', (req, res) => res.json({}));
export default router;
"""
KOA = """import Koa from 'koa';
import Router from '@koa/router';
import jwt from 'jsonwebtoken';
const app = new Koa();
const router = new Router();
app.use(async (ctx, next) => {
  if (ctx.path === '/login') return next();
  const token = ctx.headers.authorization;
  if (!token) ctx.throw(401, 'unauthorized');
  ctx.state.user = jwt.verify(token, process.env.SECRET);
  await next();
});
router.post('/login', async (ctx) => { ctx.body = { token: 't' }; });
router.post('/orders', async (ctx) => { ctx.body = ctx.request.body; });
app.use(router.routes());
app.listen(3000);
"""
FILES = {"src/app.ts": APP, "src/routes/users.ts": USERS}


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes for m in r.methods}


def test_a_route_the_middleware_does_not_except_stays_guarded() -> None:
    routes = _routes(FILES)
    assert routes[("POST", "/api/orders")][0] == "required"
    assert routes[("DELETE", "/api/users/:id")][0] == "required"  # a router mounted after it


def test_the_paths_the_middleware_lets_through_first_are_not_guarded() -> None:
    routes = _routes(FILES)
    for key in (("POST", "/api/login"), ("GET", "/api/health"), ("POST", "/api/signup")):
        auth, evidence = routes[key]
        assert auth == "none" and "lets this path through" in evidence, key
    assert routes[("GET", "/api/public/profile")][0] != "required"  # a prefix, on a mounted router


def test_a_method_limited_exception_spares_only_that_method() -> None:
    assert _routes(FILES)[("GET", "/api/signup")][0] == "required"


def test_an_exception_list_the_review_cannot_read_leaves_routes_undecided() -> None:
    app = APP.replace("const PUBLIC = ['/api/login', '/api/health'];", "const PUBLIC = process.env.OPEN.split(',');")
    routes = _routes({**FILES, "src/app.ts": app})
    for key in (("POST", "/api/orders"), ("POST", "/api/login"), ("DELETE", "/api/users/:id")):
        assert routes[key][0] == "unknown", key


def test_a_list_local_to_the_middleware_is_read() -> None:
    app = APP.replace("const PUBLIC = ['/api/login', '/api/health'];\n", "").replace(
        "function auth(req, res, next) {\n", "function auth(req, res, next) {\n  const PUBLIC = ['/api/login', '/api/health'];\n")
    routes = _routes({**FILES, "src/app.ts": app})
    assert routes[("GET", "/api/health")][0] == "none"
    assert routes[("POST", "/api/orders")][0] == "required"


def test_a_path_test_that_refuses_is_no_exception() -> None:
    app = APP.replace("""  if (PUBLIC.includes(req.path)) {
    return next();
  }""", """  if (PUBLIC.includes(req.path)) {
    return res.status(403).end();
  }""")
    assert _routes({**FILES, "src/app.ts": app})[("GET", "/api/health")][0] == "required"


def test_a_koa_middleware_sparing_a_path_guards_the_others() -> None:
    routes = _routes({"src/app.ts": KOA})
    assert routes[("POST", "/orders")][0] == "required"
    assert routes[("POST", "/login")][0] != "required"


MOUNTED = """import express from 'express';
import apiRouter from './routes/api';
const app = express();
function isLoggedIn(req, res, next) {
  const fullPath = req.originalUrl || req.url;
  if (req.path.includes('/invitation/') || fullPath.startsWith('/invite/') || req.path.startsWith('/hooks/')) {
    return next();
  }
  return req.user ? next() : res.status(401).end();
}
app.use('/api/v1', isLoggedIn, apiRouter);
app.listen(3000);
"""
API = """import { Router } from 'express';
const router = Router();
router.get('/client/invitation/:id', (req, res) => res.json({}));
router.post('/hooks/stripe', (req, res) => res.json({}));
router.post('/invite/accept', (req, res) => res.json({}));
router.post('/projects', (req, res) => res.json(req.body));
export default router;
"""


def test_a_mounted_middleware_spares_by_substring_and_by_either_reading_of_its_path() -> None:
    routes = _routes({"src/app.ts": MOUNTED, "src/routes/api.ts": API})
    assert routes[("GET", "/api/v1/client/invitation/:id")][0] == "none"  # a substring of the path
    assert routes[("POST", "/api/v1/hooks/stripe")][0] == "none"  # `req.path` is relative to the mount
    assert routes[("POST", "/api/v1/projects")][0] == "required"
    # `fullPath.startsWith('/invite/')` reads the full path: nothing under /api/v1 matches, but the
    # relative reading may, so the route is not claimed guarded
    assert routes[("POST", "/api/v1/invite/accept")][0] != "required"


def test_a_path_alias_bound_twice_is_not_read() -> None:
    mounted = MOUNTED.replace("const fullPath = req.originalUrl || req.url;",
                              "let fullPath = req.originalUrl;\n  fullPath = decode(fullPath);")
    routes = _routes({"src/app.ts": mounted, "src/routes/api.ts": API})
    assert routes[("POST", "/api/v1/projects")][0] == "unknown"
