"""Middleware and hooks judged by what their bodies check (frameworks/express_auth.py): a refusal a
configuration switch gates is no authentication (frameworks/switched_refusals.py), a middleware
that reads only what the request carries checks nobody (frameworks/request_reads.py), and a
refusal made in the module's own helper is the middleware's (frameworks/own_helpers.py). Each
mechanism with the look-alikes that must keep their verdict."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.endpoints.principals import GUARD, INERT
from servicelens.frameworks.express_auth import family_of, judge
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool
from tests.lang_javascript.lowering_helpers import function, lower


def _verdict(source: str, name: str) -> str:
    module = lower(source, "middleware.js")
    return judge(family_of(function(module, name), module.functions), middleware_knowledge()).verdict


# ---------------------------------------------------------------- switched refusals

READ_ONLY = """import settings from './settings.js';
export default async function readOnly(request, reply) {
  const creating = request.method === 'POST';
  const username = request?.user?.username ?? null;
  if (creating && !username && settings.get('read_only')) {
    return reply.code(403).send({ error: 'read-only mode' });
  }
}
"""


def test_a_hook_refusing_only_while_a_setting_is_on_is_not_authentication() -> None:
    assert _verdict(READ_ONLY, "readOnly") == INERT


def test_a_setting_read_into_a_local_first_still_switches_the_refusal() -> None:
    source = """const config = require('./config');
function restrictSignup(req, res, next) {
  const allowed = config.get('signup_domain');
  if (allowed && !req.user) return res.status(403).end();
  next();
}
"""
    assert _verdict(source, "restrictSignup") == INERT


def test_the_same_refusal_without_the_switch_guards() -> None:
    unswitched = READ_ONLY.replace(" && settings.get('read_only')", "")
    assert _verdict(unswitched, "readOnly") == GUARD


def test_one_unswitched_refusal_among_switched_ones_guards() -> None:
    source = """const settings = require('./settings');
function check(req, res, next) {
  if (settings.maintenance && !req.user) return res.status(403).end();
  if (!req.headers.authorization) return res.status(401).end();
  next();
}
"""
    assert _verdict(source, "check") == GUARD


def test_a_session_read_without_the_request_is_no_switch() -> None:
    """`getSession()` may read the caller from the request's context: naming a credential, it is
    read as the caller, not as a setting (undecided, as before, never inert)."""
    source = """import { getSession } from './session';
export async function requireSession(req, res, next) {
  const session = await getSession();
  if (!session && req.method !== 'OPTIONS') return res.status(401).end();
  next();
}
"""
    assert _verdict(source, "requireSession") != INERT


def test_a_flag_set_in_a_branch_on_the_caller_is_no_switch() -> None:
    source = """function gate(req, res, next) {
  let ok = false;
  if (req.user) ok = true;
  if (!ok) return res.status(403).end();
  next();
}
"""
    assert _verdict(source, "gate") == GUARD


def test_a_caught_error_is_the_requests_not_a_switch() -> None:
    source = """const jwt = require('jsonwebtoken');
function emailToken(req, res, next) {
  try {
    req.token = jwt.verify(req.body.token, process.env.SECRET);
    next();
  } catch (err) {
    if (err.name === 'TokenExpiredError') res.status(401).end();
    else res.status(500).end();
  }
}
"""
    assert _verdict(source, "emailToken") == GUARD


# ---------------------------------------------------------------- what of the request is read

def test_a_bot_filter_refusing_on_the_user_agent_checks_nobody() -> None:
    source = """import { isbot } from 'isbot';
export default async function blockBot(request, reply) {
  const userAgent = request.headers['user-agent'];
  if (request.url.includes('/api/secret/') && isbot(userAgent)) return reply.code(403).send();
}
"""
    assert _verdict(source, "blockBot") == INERT


def test_a_record_exists_check_through_its_own_helper_checks_nobody() -> None:
    source = """import db from './db';
function identifier(req) {
  return req.params.post_id || req.body.id;
}
export async function postExists(req, res, next) {
  const id = identifier(req);
  const post = await db('posts').where({ id }).first();
  if (!post) return res.status(404).send({ code: 'POST_NOT_FOUND' });
  req.post = post;
  next();
}
"""
    assert _verdict(source, "postExists") == INERT


def test_an_address_allow_list_is_not_read_as_payload() -> None:
    source = """const allowed = ['10.0.0.1'];
function internalOnly(req, res, next) {
  if (!allowed.includes(req.headers['x-forwarded-for'])) return res.status(403).end();
  next();
}
"""
    assert _verdict(source, "internalOnly") == ""


def test_an_unrecognised_401_stays_undecided() -> None:
    source = """function sso(req, res, next) {
  if (!req.cookies['sid']) return res.status(401).end();
  next();
}
"""
    assert _verdict(source, "sso") == ""


def test_a_secret_header_is_a_credential_not_payload() -> None:
    source = """function internal(req, res, next) {
  if (req.headers['x-internal-secret'] !== process.env.INTERNAL) return res.status(403).end();
  next();
}
"""
    assert _verdict(source, "internal") != INERT


# ---------------------------------------------------------------- the module's own helpers

BASIC_AUTH = """const unauthorized = (res) => {
  res.set('WWW-Authenticate', 'Basic realm="app"');
  return res.status(401).send('Authentication required');
};
const basicAuth = function (request, response, callback) {
  const header = request.headers.authorization;
  if (!header) return unauthorized(response);
  const [user, password] = Buffer.from(header.split(' ')[1], 'base64').toString().split(':');
  if (user === process.env.USER && password === process.env.PASSWORD) return callback();
  return unauthorized(response);
};
module.exports = basicAuth;
"""


def test_a_refusal_in_the_modules_own_helper_is_the_middlewares() -> None:
    assert _verdict(BASIC_AUTH, "basicAuth") == GUARD


def test_a_helper_from_another_module_stays_unseen() -> None:
    imported = BASIC_AUTH.replace("const unauthorized = (res) => {\n  res.set('WWW-Authenticate', 'Basic realm=\"app\"');\n"
                                  "  return res.status(401).send('Authentication required');\n};\n",
                                  "const { unauthorized } = require('./responses');\n")
    assert "require('./responses')" in imported
    assert _verdict(imported, "basicAuth") == ""


# ---------------------------------------------------------------- routes

def _routes(files: dict[str, str]) -> dict[tuple[str, str], str]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): r.auth for f in facts for r in f.routes for m in r.methods}


def test_a_router_loaded_by_dynamic_import_is_mounted_with_its_prefix() -> None:
    app = ("import express from 'express';\nimport routes from './routes/index';\nconst app = express();\n"
           "app.use(routes);\n")
    index = ("import express from 'express';\nconst router = express.Router();\n"
             "export async function loadExtras() {\n"
             "  const extras = (await import('../extras/index')).default;\n"
             "  router.use('/api/v1', extras);\n}\nexport default router;\n")
    extras = ("import express from 'express';\nconst router = express.Router();\n"
              "router.get('/boards', (req, res) => res.json([]));\nexport default router;\n")
    found = _routes({"src/app.ts": app, "src/routes/index.ts": index, "src/extras/index.ts": extras})
    assert found == {("GET", "/api/v1/boards"): "none"}


FASTIFY_APP = """import Fastify from 'fastify';
import jwtDecorator from './decorators/jwt.js';
import rateLimit from './plugins/rate-limit.js';
import readOnly from './prehandlers/read-only.js';
import secrets from './controllers/secrets.js';
const fastify = Fastify();
fastify.register(rateLimit);
fastify.register(jwtDecorator);
fastify.addHook('preHandler', readOnly);
fastify.register(secrets, { prefix: '/api/secret' });
fastify.listen({ port: 3000 });
"""
JWT = """import fp from 'fastify-plugin';
export default fp(async (fastify) => {
  fastify.decorate('authenticate', async (request, reply) => {
    try { await request.jwtVerify(); } catch (err) { reply.code(401).send({ error: 'Unauthorized' }); }
  });
});
"""
RATE_LIMIT = """import fp from 'fastify-plugin';
const store = new Map();
export default fp((fastify, options, done) => {
  fastify.decorate('rateLimit', async (req, res) => {
    const key = `${req.method}${req.url}`;
    const count = (store.get(key) || 0) + 1;
    store.set(key, count);
    if (count > 100) return res.code(429).send({ message: 'Too many requests' });
  });
  fastify.addHook('onRequest', fastify.rateLimit);
  done();
});
"""
SECRETS = """async function secrets(fastify) {
  fastify.get('/', { preValidation: [fastify.authenticate] }, async (request) => ({ mine: request.user }));
  fastify.post('/', async (request) => ({ id: 1 }));
}
export default secrets;
"""
FASTIFY = {"app.js": FASTIFY_APP, "decorators/jwt.js": JWT, "plugins/rate-limit.js": RATE_LIMIT,
           "prehandlers/read-only.js": READ_ONLY, "controllers/secrets.js": SECRETS}


def test_a_switched_global_hook_leaves_auth_to_each_routes_own_hooks() -> None:
    assert _routes(FASTIFY) == {("GET", "/api/secret"): "required", ("POST", "/api/secret"): "none"}


def test_a_global_hook_that_checks_the_caller_still_guards_every_route() -> None:
    unswitched = READ_ONLY.replace(" && settings.get('read_only')", "").replace("creating && ", "")
    found = _routes({**FASTIFY, "prehandlers/read-only.js": unswitched})
    assert found == {("GET", "/api/secret"): "required", ("POST", "/api/secret"): "required"}


def test_a_helpers_value_parameter_is_not_the_caller() -> None:
    """`register(doc, req, webhook)` is handed the request in `req` only: `webhook.authorization` is
    the webhook's header value, and its 403 for a forbidden URL checks no caller."""
    source = """async function register(doc, req, webhook) {
  if (!isAllowed(webhook.url)) throw new ApiError('Provided url is forbidden', 403);
  return save(doc, webhook.url, webhook.authorization, req.params.docId);
}
export async function addWebhook(req, res) {
  const made = await register(req.doc, req, req.body);
  res.json(made);
}
"""
    assert _verdict(source, "addWebhook") != GUARD


SIGN_IN_APP = """const express = require('express');
const users = require('./users');
const app = express();
app.post('/auth/login', async (req, res) => {
  const user = await users.byName(req.body.username);
  if (!user || !(await users.matches(user, req.body.password))) return res.status(401).json({ error: 'bad login' });
  req.session.userId = user.id;
  res.json({ ok: true });
});
app.post('/reports', async (req, res) => {
  if (!req.session.userId) return res.status(401).end();
  res.json({ ok: true });
});
app.listen(3000);
"""


def test_a_sign_in_handler_checking_the_credentials_it_is_sent_is_public_by_design(tmp_path) -> None:
    """Its own check made it `required` (the handler checks credentials itself); checking what the
    caller sends is what signing in is, so the inventory calls it public by design."""
    from servicelens.api import review
    from servicelens.config.settings import Settings
    (tmp_path / "app.js").write_text(SIGN_IN_APP)
    (tmp_path / "users.js").write_text("exports.byName = async (n) => null;\nexports.matches = async () => false;\n")
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    auth = {(e.method, e.path): e.auth for s in report.overview.services for e in s.endpoints}
    assert auth[("POST", "/auth/login")] == "public"
    assert auth[("POST", "/reports")] == "required"
