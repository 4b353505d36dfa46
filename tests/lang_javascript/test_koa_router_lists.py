"""Koa routers mounted in a loop over a literal list (`for (const r of createRouters(t))
app.use(r.routes())`), route modules handed the router through a spread rest parameter
(`adminRoutes(...args)`), and a project auth middleware factory on the router
(`router.use(koaAuth(env))`) judged by the function it returns (frameworks/express.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

INIT = """import Koa from 'koa';
import Router from 'koa-router';
import koaAuth from './middleware/koa-auth';
import adminRoutes from './routes/admin';
import statusRoutes from './routes/status';

const createRouters = (tenant) => {
  const managementRouter = new Router();
  managementRouter.use(koaAuth(tenant.env));
  adminRoutes(managementRouter, tenant);

  const anonymousRouter = new Router();
  statusRoutes(anonymousRouter, tenant);
  return [managementRouter, anonymousRouter];
};

export default function initApis(tenant) {
  const apisApp = new Koa();
  for (const router of createRouters(tenant)) {
    apisApp.use(router.routes()).use(router.allowedMethods());
  }
  return apisApp;
}
"""
AUTH = """export default function koaAuth(env) {
  return async (ctx, next) => {
    const header = ctx.request.headers.authorization;
    if (!header) {
      ctx.throw(401, 'auth.authorization_header_missing');
    }
    await next();
  };
}
"""
ADMIN = """import adminUserBasicsRoutes from './admin-basics';
export default function adminRoutes(...args) {
  adminUserBasicsRoutes(...args);
}
"""
BASICS = """export default function adminUserBasicsRoutes(...args) {
  const [router, tenant] = args;
  router.delete('/users/:userId', async (ctx, next) => { ctx.status = 204; return next(); });
}
"""
STATUS = """export default function statusRoutes(...[router]) {
  router.get('/status', async (ctx, next) => { ctx.status = 204; return next(); });
}
"""
FILES = {"src/init.ts": INIT, "src/middleware/koa-auth.ts": AUTH, "src/routes/admin.ts": ADMIN,
         "src/routes/admin-basics.ts": BASICS, "src/routes/status.ts": STATUS}


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes for m in r.methods}


def test_routers_of_a_returned_literal_list_mounted_in_a_loop_are_served() -> None:
    routes = _routes(FILES)
    auth, evidence = routes[("DELETE", "/users/:userId")]
    assert auth == "required" and "koaAuth" in evidence
    assert routes[("GET", "/status")][0] == "none"


def test_a_list_written_in_the_loop_is_read_the_same() -> None:
    init = INIT.replace("return [managementRouter, anonymousRouter];", "return { managementRouter, anonymousRouter };")
    init = init.replace("for (const router of createRouters(tenant)) {",
                        "const { managementRouter, anonymousRouter } = createRouters(tenant);\n"
                        "  for (const router of [managementRouter, anonymousRouter]) {")
    # the routers are made in another function: a list here names nothing this module can mount
    assert _routes({**FILES, "src/init.ts": init})[("DELETE", "/users/:userId")][0] != "required"


def test_a_loop_over_what_the_module_cannot_read_mounts_nothing() -> None:
    init = INIT.replace("for (const router of createRouters(tenant)) {", "for (const router of tenant.routers) {")
    assert _routes({**FILES, "src/init.ts": init})[("DELETE", "/users/:userId")][0] == "unknown"


def test_a_function_not_spreading_its_rest_parameter_hands_no_router_on() -> None:
    admin = ADMIN.replace("adminUserBasicsRoutes(...args);", "adminUserBasicsRoutes(args.length);")
    assert _routes({**FILES, "src/routes/admin.ts": admin})[("DELETE", "/users/:userId")][0] == "unknown"


def test_a_factory_whose_returned_function_never_refuses_guards_nothing() -> None:
    auth = AUTH.replace("ctx.throw(401, 'auth.authorization_header_missing');", "ctx.state.anonymous = true;")
    assert _routes({**FILES, "src/middleware/koa-auth.ts": auth})[("DELETE", "/users/:userId")][0] == "none"


def test_a_literal_list_of_this_function_routers_in_the_loop_mounts_them() -> None:
    init = INIT.replace("  return [managementRouter, anonymousRouter];\n};\n", "").replace(
        "export default function initApis(tenant) {\n  const apisApp = new Koa();\n"
        "  for (const router of createRouters(tenant)) {",
        "  const apisApp = new Koa();\n  const routers = [managementRouter, anonymousRouter];\n"
        "  for (const router of routers) {").replace("  return apisApp;\n}\n", "  return apisApp;\n};\n")
    routes = _routes({**FILES, "src/init.ts": init})
    assert routes[("DELETE", "/users/:userId")][0] == "required"
    assert routes[("GET", "/status")][0] == "none"
