"""Fastify: routes in application and plugin scopes, prefixes from `register`, and auth decided
by what the hooks in effect do (scope `addHook`, route hook options, members `decorate` made)."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

APP = """import Fastify from 'fastify';
import authPlugin from './auth';
import items from './items';
import ops from './ops';
const app = Fastify();
app.register(authPlugin);
app.register(items, { prefix: '/v1/items' });
app.register(ops, { prefix: '/ops' });
"""
AUTH = """import fp from 'fastify-plugin';
export default fp(async (fastify) => {
  fastify.decorate('authenticate', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'no token' });
    }
  });
});
"""
ITEMS = """import { FastifyInstance } from 'fastify';
export default async function items(server: FastifyInstance) {
  server.addHook('onRequest', server.authenticate);
  server.get('/:id', async (request) => ({ id: request.params.id }));
  server.route({ method: ['POST', 'PUT'], url: '/', handler: async (request) => request.body });
}
"""
OPS = """const ops = async (fastify) => {
  fastify.post('/flush', async () => ({ ok: true }));
  fastify.post('/drain', { preHandler: [fastify.authenticate] }, async () => ({ ok: true }));
  fastify.post('/log', { onRequest: async (request) => { console.log(request.url); } }, async () => 1);
};
module.exports = ops;
"""


def _routes(files: dict[str, str]) -> dict[tuple[str, str], str]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): r.auth for f in facts for r in f.routes for m in r.methods}


def test_register_prefixes_and_route_shapes_make_the_paths() -> None:
    routes = _routes({"app.ts": APP, "auth.ts": AUTH, "items.ts": ITEMS, "ops.js": OPS})
    assert set(routes) == {("GET", "/v1/items/:id"), ("POST", "/v1/items"), ("PUT", "/v1/items"),
                           ("POST", "/ops/flush"), ("POST", "/ops/drain"), ("POST", "/ops/log")}


def test_a_scope_hook_using_a_decorated_member_that_refuses_requires_auth() -> None:
    routes = _routes({"app.ts": APP, "auth.ts": AUTH, "items.ts": ITEMS, "ops.js": OPS})
    assert routes[("GET", "/v1/items/:id")] == "required"
    assert routes[("POST", "/ops/drain")] == "required"


def test_a_plugin_without_hooks_on_a_served_application_is_open() -> None:
    routes = _routes({"app.ts": APP, "auth.ts": AUTH, "items.ts": ITEMS, "ops.js": OPS})
    assert routes[("POST", "/ops/flush")] == "none"
    assert routes[("POST", "/ops/log")] == "none"  # its hook only logs


def test_a_decorated_member_defined_outside_the_review_stays_unknown() -> None:
    routes = _routes({"app.ts": APP, "items.ts": ITEMS, "ops.js": OPS})
    assert routes[("GET", "/v1/items/:id")] == "unknown"


def test_a_plugin_nobody_registers_stays_unknown() -> None:
    assert _routes({"ops.js": OPS})[("POST", "/ops/flush".replace("/ops", ""))] == "unknown"


def test_request_input_in_a_fastify_handler_reaches_sinks() -> None:
    text = ("import Fastify from 'fastify';\nimport { exec } from 'child_process';\nconst app = Fastify();\n"
            "app.post('/run', async (request, reply) => { exec(request.body.cmd); return reply.send('ok'); });\n")
    facts = analyze_javascript("app.ts", text, ParserPool())
    assert any(sink.kind == "command-injection" for s in facts.summaries for sink in s.sinks)


def test_routes_registered_in_a_function_on_the_modules_application_are_the_applications() -> None:
    text = ("import fastify from 'fastify';\nconst server = fastify();\nstart();\n"
            "async function start() {\n  server.get('/favicon.ico', async (_, reply) => reply.send('x'));\n"
            "  server.route({ method: 'GET', url: '/r/:id', handler: async (req) => req.params.id });\n"
            "  await server.listen({ port: 3000 });\n}\n"
            "function other(server) {\n  server.get('/elsewhere', async () => 1);\n}\n")
    routes = _routes({"server/index.ts": text})
    assert ("GET", "/favicon.ico") in routes and ("GET", "/r/:id") in routes
    assert routes[("GET", "/r/:id")] == "none"
    assert routes[("GET", "/elsewhere")] == "unknown"  # its own parameter's plugin, not the module's application


def test_a_function_nested_in_a_plugin_uses_the_plugins_instance_not_the_modules() -> None:
    text = ("import fastify from 'fastify';\nconst server = fastify();\n"
            "server.register(async (server) => {\n"
            "  server.addHook('onRequest', async (request, reply) => {\n"
            "    if (!request.headers.authorization) { return reply.code(401).send('no'); }\n  });\n"
            "  ['a', 'b'].forEach((name) => {\n    server.get('/nested', async (req) => req.params);\n  });\n"
            "}, { prefix: '/p' });\n"
            "function start() {\n  server.get('/top', async () => 1);\n}\n")
    routes = _routes({"server/index.ts": text})
    assert ("GET", "/nested") not in routes  # not the module's application's route, open at the root
    assert routes[("GET", "/top")] == "none"
