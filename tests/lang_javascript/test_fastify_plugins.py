"""Fastify plugins the way larger services split them: route modules that import only a type
provider from Fastify's ecosystem, plugins written inline where they are registered, and
authentication in a plugin fastify-plugin wraps, whose hooks then run in the registering scope
(frameworks/fastify.py, frameworks/express_mounts.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

APP = """import { fastify } from 'fastify';
import { apiRoutes } from './routes';
const server = fastify();
server.register(apiRoutes, { prefix: '/api' });
server.listen({ port: 3000 });
"""
ROUTES = """import { FastifyPluginCallback } from 'fastify';
import { sessionCheck } from './plugins/session';
import { auditTrail } from './plugins/audit';
import { signInRoute } from './routes/sign-in';
import { boardRoutes } from './routes/boards';
import { statusRoute } from './routes/status';

export const apiRoutes: FastifyPluginCallback = (instance, _, done) => {
  instance.register((open) => {
    open.register(signInRoute);
    open.register(statusRoute);
  });
  instance.register((members) => {
    members.register(sessionCheck);
    members.register(boardRoutes, { prefix: '/boards' });
  });
  instance.register(auditTrail);
  done();
};
"""
SESSION = """import { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';

const sessionCheckCallback: FastifyPluginCallback = (fastify, _, done) => {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'sign in first' });
    }
  });
  done();
};

export const sessionCheck = fp(sessionCheckCallback);
"""
# not wrapped by fastify-plugin: its hook stays inside its own scope, which holds no route
AUDIT = """import { FastifyPluginCallback } from 'fastify';

export const auditTrail: FastifyPluginCallback = (fastify, _, done) => {
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'sign in first' });
    }
  });
  done();
};
"""
SIGN_IN = """import { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
export const signInRoute: FastifyPluginCallbackZod = (instance, _, done) => {
  instance.route({ method: 'POST', url: '/sign-in', handler: async (request) => ({ ok: true }) });
  done();
};
"""
STATUS = """import { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
export const statusRoute: FastifyPluginCallbackZod = (instance, _, done) => {
  instance.route({ method: 'DELETE', url: '/cache', handler: async () => ({ ok: true }) });
  done();
};
"""
BOARDS = """import { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
export const boardRoutes: FastifyPluginCallbackZod = (instance, _, done) => {
  instance.route({ method: 'PATCH', url: '/:boardId', handler: async (request) => request.body });
  done();
};
"""
FILES = {"src/app.ts": APP, "src/routes.ts": ROUTES, "src/plugins/session.ts": SESSION, "src/plugins/audit.ts": AUDIT,
         "src/routes/sign-in.ts": SIGN_IN, "src/routes/status.ts": STATUS, "src/routes/boards.ts": BOARDS}


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes for m in r.methods}


def test_route_modules_importing_a_type_provider_and_inline_plugins_make_the_routes() -> None:
    assert set(_routes(FILES)) == {("POST", "/api/sign-in"), ("DELETE", "/api/cache"), ("PATCH", "/api/boards/:boardId")}


def test_a_plugin_fastify_plugin_wraps_guards_the_scope_registering_it() -> None:
    auth, evidence = _routes(FILES)[("PATCH", "/api/boards/:boardId")]
    assert auth == "required" and "401" in evidence


def test_a_plugin_fastify_plugin_does_not_wrap_keeps_its_hooks_to_itself() -> None:
    assert _routes(FILES)[("DELETE", "/api/cache")][0] == "none"


def test_without_the_wrapper_the_session_plugin_guards_nothing_else() -> None:
    unwrapped = SESSION.replace("export const sessionCheck = fp(sessionCheckCallback);",
                                "export const sessionCheck = sessionCheckCallback;")
    assert _routes({**FILES, "src/plugins/session.ts": unwrapped})[("PATCH", "/api/boards/:boardId")][0] == "none"


DECORATING = """import fp from 'fastify-plugin';
export default fp(async (fastify) => {
  fastify.decorate('authenticate', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'sign in first' });
    }
  });
});
"""
DECORATED_APP = """import Fastify from 'fastify';
import authPlugin from './auth';
const app = Fastify();
app.register(authPlugin);
app.post('/reindex', async () => ({ ok: true }));
app.post('/orders', { preHandler: [app.authenticate] }, async () => ({ ok: true }));
app.listen({ port: 3000 });
"""


def test_a_shared_plugin_that_only_decorates_checks_no_route_in_the_reviewed_inventory(tmp_path) -> None:
    """Its `decorate`d member refuses, but only the routes naming it run it (the inventory does not
    take the plugin function's body for a hook)."""
    from servicelens.api import review
    from servicelens.config.settings import Settings
    (tmp_path / "auth.ts").write_text(DECORATING)
    (tmp_path / "app.ts").write_text(DECORATED_APP)
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    auth = {(e.method, e.path): e.auth for s in report.overview.services for e in s.endpoints}
    assert auth[("POST", "/reindex")] == "none"
    assert auth[("POST", "/orders")] == "required"


# a bundle fastify-plugin wraps that registers the wrapped session check: both sets of hooks reach
# the scope registering the bundle
BUNDLE = """import fp from 'fastify-plugin';
import { sessionCheck } from './session';
const securityCallback = async (fastify) => {
  fastify.register(sessionCheck);
};
export const security = fp(securityCallback);
"""


def _bundled(bundle: str) -> dict[str, str]:
    routes = FILES["src/routes.ts"].replace("import { sessionCheck } from './plugins/session';",
                                            "import { security } from './plugins/security';") \
        .replace("members.register(sessionCheck);", "members.register(security);")
    return {**FILES, "src/routes.ts": routes, "src/plugins/security.ts": bundle}


def test_a_wrapped_plugin_registered_by_a_wrapped_bundle_guards_the_scope_registering_the_bundle() -> None:
    auth, evidence = _routes(_bundled(BUNDLE))[("PATCH", "/api/boards/:boardId")]
    assert auth == "required" and "401" in evidence


def test_a_bundle_fastify_plugin_does_not_wrap_keeps_the_session_check_to_itself() -> None:
    unwrapped = BUNDLE.replace("export const security = fp(securityCallback);", "export const security = securityCallback;")
    assert _routes(_bundled(unwrapped))[("PATCH", "/api/boards/:boardId")][0] == "none"


def test_a_wrapped_bundle_registering_an_unwrapped_check_guards_nothing() -> None:
    bundle = BUNDLE.replace("import { sessionCheck } from './index';", "import { auditTrail } from './audit';") \
        .replace("fastify.register(sessionCheck);", "fastify.register(auditTrail);")
    assert _routes(_bundled(bundle))[("PATCH", "/api/boards/:boardId")][0] == "none"


def test_a_wrapped_plugin_imported_through_a_barrel_guards() -> None:
    """`import { sessionCheck } from './plugins'` with `plugins/index.ts` re-exporting the module."""
    routes = FILES["src/routes.ts"].replace("'./plugins/session'", "'./plugins'")
    barrel = {"src/plugins/index.ts": "export * from './session';\n"}
    assert _routes({**FILES, "src/routes.ts": routes, **barrel})[("PATCH", "/api/boards/:boardId")][0] == "required"
    unwrapped = SESSION.replace("export const sessionCheck = fp(sessionCheckCallback);",
                                "export const sessionCheck = sessionCheckCallback;")
    assert _routes({**FILES, "src/routes.ts": routes, "src/plugins/session.ts": unwrapped, **barrel}
                   )[("PATCH", "/api/boards/:boardId")][0] == "none"
