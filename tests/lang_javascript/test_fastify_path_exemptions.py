"""Fastify routes declared by functions handed the instance (`registerRoutes(server)` ->
`ticketRoutes(fastify)`), guarded by the application's global hook except the paths it lets
through first (frameworks/fastify.py, frameworks/hook_path_exemptions.py,
frameworks/express_mounts.py)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

MAIN = """import Fastify from 'fastify';
import { registerRoutes } from './routes';
import { checkToken } from './lib/jwt';
const server = Fastify();
registerRoutes(server);
server.get('/health', async () => ({ healthy: true }));
server.addHook('preHandler', async function (request, reply) {
  try {
    if (request.url === '/api/v1/auth/login' && request.method === 'POST') {
      return true;
    }
    if (OPEN.includes(request.url) || request.url.startsWith('/api/v1/public/')) {
      return true;
    }
    const bearer = request.headers.authorization.split(' ')[1];
    checkToken(bearer);
  } catch (err) {
    reply.status(401).send({ message: 'Unauthorized' });
  }
});
const OPEN = ['/api/v1/status'];
server.listen({ port: 5003 });
"""
ROUTES = """import { FastifyInstance } from 'fastify';
import { authRoutes } from './controllers/auth';
import { ticketRoutes } from './controllers/ticket';
export function registerRoutes(fastify: FastifyInstance) {
  authRoutes(fastify);
  ticketRoutes(fastify);
}
"""
AUTH = """import { FastifyInstance } from 'fastify';
export function authRoutes(fastify: FastifyInstance) {
  fastify.post('/api/v1/auth/login', async (request, reply) => reply.send({ token: 't' }));
  fastify.get('/api/v1/auth/login', async (request, reply) => reply.send({ form: true }));
  fastify.get('/api/v1/status', async () => ({ up: true }));
}
"""
TICKET = """import { FastifyInstance } from 'fastify';
export function ticketRoutes(fastify: FastifyInstance) {
  fastify.post('/api/v1/ticket/create', async (request) => request.body);
  fastify.post('/api/v1/public/ticket', async (request) => request.body);
}
"""
JWT = """import jwt from 'jsonwebtoken';
export function checkToken(token) { return jwt.verify(token, process.env.SECRET); }
"""
FILES = {"src/main.ts": MAIN, "src/routes.ts": ROUTES, "src/controllers/auth.ts": AUTH,
         "src/controllers/ticket.ts": TICKET, "src/lib/jwt.ts": JWT}


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes for m in r.methods}


def test_functions_handed_the_instance_declare_routes_in_the_application_scope() -> None:
    routes = _routes(FILES)
    assert routes[("POST", "/api/v1/ticket/create")][0] == "required"
    assert routes[("GET", "/health")][0] == "required"


def test_a_function_handed_something_else_mounts_nothing() -> None:
    main = MAIN.replace("registerRoutes(server);", "registerRoutes(server.log);")
    assert routes_auth(_routes({**FILES, "src/main.ts": main}), ("POST", "/api/v1/ticket/create")) != "required"


def routes_auth(routes: dict[tuple[str, str], tuple[str, str]], key: tuple[str, str]) -> str:
    return routes[key][0] if key in routes else ""


def test_the_paths_the_hook_lets_through_first_are_not_guarded() -> None:
    routes = _routes(FILES)
    assert routes[("POST", "/api/v1/auth/login")][0] != "required"
    assert routes[("GET", "/api/v1/status")][0] != "required"  # a literal list of the module
    auth, evidence = routes[("POST", "/api/v1/public/ticket")]  # a prefix
    assert auth == "none" and "lets this path through" in evidence


def test_a_method_limited_exemption_spares_only_that_method() -> None:
    assert _routes(FILES)[("GET", "/api/v1/auth/login")][0] == "required"


def test_a_path_test_that_refuses_is_no_exemption() -> None:
    main = MAIN.replace("""    if (request.url === '/api/v1/auth/login' && request.method === 'POST') {
      return true;
    }""", """    if (request.url === '/api/v1/ticket/create' && !request.headers['x-admin']) {
      return reply.code(403).send({ message: 'Forbidden' });
    }""")
    assert _routes({**FILES, "src/main.ts": main})[("POST", "/api/v1/ticket/create")][0] == "required"


def test_an_exempt_list_that_is_not_a_literal_leaves_every_route_undecided() -> None:
    main = MAIN.replace("const OPEN = ['/api/v1/status'];", "const OPEN = process.env.OPEN_PATHS.split(',');")
    auth, evidence = _routes({**FILES, "src/main.ts": main})[("POST", "/api/v1/ticket/create")]
    assert auth == "unknown" and "cannot read" in evidence


def test_an_exemption_of_another_path_spares_no_route() -> None:
    main = MAIN.replace("'/api/v1/auth/login' && request.method", "'/api/v1/auth/sso' && request.method")
    assert _routes({**FILES, "src/main.ts": main})[("POST", "/api/v1/auth/login")][0] == "required"


def test_a_hook_named_like_a_guard_that_never_refuses_guards_nothing() -> None:
    main = MAIN.replace("reply.status(401).send({ message: 'Unauthorized' });", "request.log.warn('no token');")
    assert _routes({**FILES, "src/main.ts": main})[("POST", "/api/v1/ticket/create")][0] != "required"


def test_an_application_route_the_hook_spares_is_not_guarded() -> None:
    main = MAIN.replace("server.get('/health',", "server.get('/api/v1/public/health',")
    auth, evidence = _routes({**FILES, "src/main.ts": main})[("GET", "/api/v1/public/health")]
    assert auth == "none" and "lets this path through" in evidence


SETUP_MAIN = """import Fastify from 'fastify';
import { setupAuth } from './auth';
const app = Fastify();
setupAuth(app);
app.get('/api/projects', async () => []);
app.register(async (child) => { child.post('/api/orders', async (request) => request.body); });
app.listen({ port: 3000 });
"""
SETUP_AUTH = """import { FastifyInstance } from 'fastify';
export function setupAuth(app: FastifyInstance) {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
  });
}
"""


def test_hooks_a_set_up_function_adds_to_the_instance_it_is_handed_guard_the_callers_routes() -> None:
    routes = _routes({"src/main.ts": SETUP_MAIN, "src/auth.ts": SETUP_AUTH})
    assert routes[("GET", "/api/projects")][0] == "required"
    assert routes[("POST", "/api/orders")][0] == "required"  # a plugin the caller registers


def test_a_set_up_function_adding_no_guard_guards_nothing() -> None:
    auth = SETUP_AUTH.replace("return reply.code(401).send({ error: 'unauthorized' });", "request.log.info('anon');")
    routes = _routes({"src/main.ts": SETUP_MAIN, "src/auth.ts": auth})
    assert routes[("GET", "/api/projects")][0] != "required"


def test_a_set_up_function_whose_guard_spares_paths_leaves_the_callers_routes_undecided() -> None:
    auth = SETUP_AUTH.replace("    if (!request.headers.authorization) {",
                              "    if (request.url.startsWith('/api/public')) return;\n    if (!request.headers.authorization) {")
    routes = _routes({"src/main.ts": SETUP_MAIN, "src/auth.ts": auth})
    assert routes[("GET", "/api/projects")][0] != "required"


def test_a_plugin_registered_without_fastify_plugin_keeps_its_hooks_to_itself() -> None:
    main = SETUP_MAIN.replace("setupAuth(app);", "app.register(setupAuth);")
    routes = _routes({"src/main.ts": main, "src/auth.ts": SETUP_AUTH})
    assert routes[("GET", "/api/projects")][0] != "required"


NESTED_MAIN = """import Fastify from 'fastify';
import { registerKeyAuth } from './http/plugins';
const app = Fastify();
app.register(async function admin(scope) {
  registerKeyAuth(scope);
  scope.delete('/admin/tenants/:id', async (request) => request.params);
});
app.listen({ port: 3000 });
"""
KEY_AUTH = """import { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
const keyPlugin = fastifyPlugin(async (fastify) => {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.headers.apikey !== process.env.ADMIN_KEY) {
      reply.status(401).send();
      return;
    }
    done();
  });
});
export function registerKeyAuth(fastify: FastifyInstance) {
  fastify.register(keyPlugin);
}
"""
# the outer barrel first: it must not claim `http.plugins.registerKeyAuth` as its own
NESTED = {"src/http/index.ts": "export * from './plugins';\n", "src/main.ts": NESTED_MAIN,
          "src/http/plugins/keys.ts": KEY_AUTH, "src/http/plugins/index.ts": "export * from './keys';\n"}


def test_a_set_up_function_registering_a_shared_guard_through_nested_barrels_guards_the_caller() -> None:
    assert _routes(NESTED)[("DELETE", "/admin/tenants/:id")][0] == "required"


def test_a_set_up_function_registering_a_plugin_that_guards_nobody_guards_nothing() -> None:
    files = {**NESTED, "src/http/plugins/keys.ts": KEY_AUTH.replace("reply.status(401).send();", "request.log.info('k');")}
    assert _routes(files)[("DELETE", "/admin/tenants/:id")][0] != "required"
