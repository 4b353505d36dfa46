"""Koa: routers from the knowledge file with their prefix, mounted by `app.use(router.routes())`,
auth decided by what middleware does with `ctx` (`ctx.throw(401)`, `ctx.status = 403`), and
the context's request fields as client input."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

APP = """const Koa = require('koa');
const Router = require('@koa/router');
const { exec } = require('child_process');
const app = new Koa();
const router = new Router({ prefix: '/api' });
async function requireUser(ctx, next) {
  if (!ctx.state.user) {
    ctx.throw(401, 'sign in');
  }
  await next();
}
async function adminOnly(ctx, next) {
  if (ctx.headers.authorization !== process.env.ADMIN_KEY) { ctx.status = 403; return; }
  await next();
}
async function timing(ctx, next) { const t = Date.now(); await next(); ctx.set('x-time', String(Date.now() - t)); }
router.get('/items/:id', requireUser, async (ctx) => { ctx.body = { id: ctx.params.id }; });
router.delete('/items/:id', adminOnly, async (ctx) => { ctx.status = 204; });
router.post('/run', timing, async (ctx) => { exec(ctx.request.body.cmd); ctx.body = 'ok'; });
router.get('/go', async (ctx) => { ctx.redirect(ctx.query.next); });
app.use(router.routes()).use(router.allowedMethods());
"""


def _facts(text: str):
    return with_js_routes([analyze_javascript("app.js", text, ParserPool())])[0]


def test_router_prefix_and_mount_make_full_paths_on_koa_routes() -> None:
    routes = {(r.methods[0], r.path, r.framework) for r in _facts(APP).routes}
    assert routes == {("GET", "/api/items/:id", "koa"), ("DELETE", "/api/items/:id", "koa"),
                      ("POST", "/api/run", "koa"), ("GET", "/api/go", "koa")}


def test_middleware_that_throws_or_sets_401_403_guards() -> None:
    auth = {(r.methods[0], r.path): r.auth for r in _facts(APP).routes}
    assert auth[("GET", "/api/items/:id")] == "required"
    assert auth[("DELETE", "/api/items/:id")] == "required"


def test_middleware_that_checks_nobody_leaves_a_mounted_route_open() -> None:
    auth = {(r.methods[0], r.path): r.auth for r in _facts(APP).routes}
    assert auth[("POST", "/api/run")] == "none"


def test_an_unmounted_router_stays_undecided() -> None:
    auth = {(r.methods[0], r.path): r.auth for r in _facts(APP.replace("app.use(router.routes())", "app")).routes}
    assert auth[("GET", "/api/go")] == "unknown"


def test_context_request_fields_reach_sinks() -> None:
    sinks = {(s.kind, s.line) for summary in _facts(APP).summaries for s in summary.sinks}
    assert ("command-injection", 19) in sinks
    assert ("open-redirect", 20) in sinks
