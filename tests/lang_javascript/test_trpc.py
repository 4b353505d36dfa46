"""tRPC: procedures of routers (nested, imported, merged) as endpoints at their adapter's path,
auth decided by what the middleware of each procedure's builder does, never by its name."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.js_project import with_js_routes
from servicelens.sources.parsing import ParserPool

TRPC = """import { initTRPC, TRPCError } from '@trpc/server';
const t = initTRPC.context<{ user?: { id: string; role: string } }>().create();
export const router = t.router;
export const mergeRouters = t.mergeRouters;
export const middleware = t.middleware;
const logged = middleware(async ({ path, next }) => {
  const result = await next();
  console.log(path);
  return result;
});
export const isAuthed = middleware(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next({ ctx: { user: ctx.user } });
});
export const publicProcedure = t.procedure.use(logged);
// named as if it protected, but its middleware only logs: no check
export const protectedProcedure = t.procedure.use(logged);
export const authedProcedure = publicProcedure.use(isAuthed);
export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN' });
  return next();
});
"""
USERS = """import { z } from 'zod';
import { router, publicProcedure, protectedProcedure, authedProcedure, adminProcedure } from './trpc';
export const usersRouter = router({
  me: authedProcedure.query(({ ctx }) => ctx.user),
  rename: protectedProcedure.input(z.string()).mutation(({ input }) => input),
  remove: adminProcedure.input(z.string()).mutation(({ input }) => input),
  events: authedProcedure.subscription(() => null),
  settings: router({ save: authedProcedure.mutation(() => 1), peek: publicProcedure.query(() => 2) }),
});
"""
ROOT = """import { router, mergeRouters, publicProcedure } from './trpc';
import { usersRouter } from './users';
const misc = router({ signUp: publicProcedure.mutation(() => 1) });
export const appRouter = mergeRouters(misc, router({ users: usersRouter }));
"""
EXPRESS = """import express from 'express';
import * as trpcExpress from '@trpc/server/adapters/express';
import { appRouter } from './root';
const app = express();
export const trpcMiddleware = trpcExpress.createExpressMiddleware({ router: appRouter });
app.use('/trpc', trpcMiddleware);
app.listen(3000);
"""
FETCH = """import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from './root';
export const handler = (req: Request) => fetchRequestHandler({ endpoint: '/api/trpc', req, router: appRouter });
"""


def _routes(files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    pool = ParserPool()
    facts = with_js_routes([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(m, r.path): (r.auth, r.auth_evidence) for f in facts for r in f.routes for m in r.methods
            if r.framework == "trpc"}


def test_procedures_are_endpoints_below_the_express_mount() -> None:
    routes = _routes({"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT, "app.ts": EXPRESS})
    assert set(routes) == {("GET", "/trpc/users.me"), ("POST", "/trpc/users.rename"), ("POST", "/trpc/users.remove"),
                           ("SUBSCRIPTION", "/trpc/users.events"), ("POST", "/trpc/users.settings.save"),
                           ("GET", "/trpc/users.settings.peek"), ("POST", "/trpc/signUp")}


def test_auth_is_decided_by_the_middleware_body_not_the_builder_name() -> None:
    routes = _routes({"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT, "app.ts": EXPRESS})
    assert routes[("GET", "/trpc/users.me")][0] == "required"
    assert routes[("POST", "/trpc/users.settings.save")][0] == "required"
    # `protectedProcedure` only logs
    assert routes[("POST", "/trpc/users.rename")][0] == "none"
    assert routes[("GET", "/trpc/users.settings.peek")][0] == "none"


def test_a_role_check_is_required_with_its_role() -> None:
    routes = _routes({"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT, "app.ts": EXPRESS})
    auth, evidence = routes[("POST", "/trpc/users.remove")]
    assert auth == "required" and "FORBIDDEN" in evidence and "admin" in evidence


def test_fetch_adapter_endpoint_is_the_mount() -> None:
    routes = _routes({"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT, "handler.ts": FETCH})
    assert ("GET", "/api/trpc/users.me") in routes and ("POST", "/api/trpc/signUp") in routes


def test_without_an_adapter_the_path_is_the_procedure_path_and_says_so() -> None:
    routes = _routes({"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT})
    auth, evidence = routes[("GET", "users.me")]
    assert auth == "required" and "procedure path alone" in evidence


def test_a_look_alike_router_call_of_another_library_is_no_procedure() -> None:
    other = """import { router } from './routing';
import { handler } from './handlers';
export const table = router({ list: handler.input(1).query(() => 1), sub: handler });
"""
    routing = """export function router(table) { return table; }
"""
    assert _routes({"table.ts": other, "routing.ts": routing}) == {}


def test_resolver_input_is_client_data_and_ctx_is_not() -> None:
    pool = ParserPool()
    fact = analyze_javascript("users.ts", USERS, pool)
    members = {s.key.rsplit(".", 1)[-1] for s in fact.summaries}
    assert members  # the resolvers are summarised as handlers
    routes = {r.path: r.qualname for r in fact.routes if r.framework == "trpc"}
    assert routes["rename"].startswith("<anon@")


def test_a_check_only_of_signed_in_callers_or_of_maintenance_is_no_auth() -> None:
    trpc = """import { initTRPC, TRPCError } from '@trpc/server';
const t = initTRPC.create();
export const router = t.router;
const maintenance = t.middleware(async ({ next }) => {
  if (await isDown()) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE' });
  return next();
});
const freshSession = t.middleware(async ({ ctx, type, next }) => {
  if (type !== 'mutation' || !ctx.user) {
    return next();
  }
  if (await gone(ctx.user.id)) throw new TRPCError({ code: 'UNAUTHORIZED' });
  return next();
});
export const publicProcedure = t.procedure.use(maintenance).use(freshSession);
export const appRouter = router({ vote: publicProcedure.mutation(() => 1) });
"""
    routes = _routes({"trpc.ts": trpc})
    assert routes[("POST", "vote")][0] == "none"


def test_fastify_plugin_prefix_and_standalone_server_are_mounts() -> None:
    fastify = """import Fastify from 'fastify';
import { fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import { appRouter } from './root';
const server = Fastify();
server.register(fastifyTRPCPlugin, { prefix: '/rpc', trpcOptions: { router: appRouter } });
"""
    standalone = """import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { appRouter } from './root';
createHTTPServer({ router: appRouter }).listen(3000);
"""
    files = {"trpc.ts": TRPC, "users.ts": USERS, "root.ts": ROOT}
    assert ("GET", "/rpc/users.me") in _routes({**files, "server.ts": fastify})
    assert ("GET", "/users.me") in _routes({**files, "server.ts": standalone})


HELPERS = """import { TRPCError } from '@trpc/server';
export async function requireActor(token: string | undefined, user?: { id: string }) {
  const actor = user ?? (token ? await decodeEditToken(token) : undefined);
  if (!actor) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'This method requires a user or valid token' });
  }
  return actor;
}
export function audit(user?: { id: string }) {
  console.log('called by', user?.id);
}
async function decodeEditToken(token: string) { return undefined; }
"""
COMMENTS = """import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { router, publicProcedure } from './trpc';
import { requireActor, audit } from './helpers';
import { prisma } from './db';
function ownerOnly(ctx: { user?: { id: string } }) {
  if (!ctx.user) throw new TRPCError({ code: 'FORBIDDEN' });
}
export const commentsRouter = router({
  // a helper handed the caller that throws UNAUTHORIZED without one: checked
  remove: publicProcedure.input(z.object({ id: z.string(), token: z.string().optional() }))
    .mutation(async ({ input: { id, token }, ctx }) => {
      const actor = await requireActor(token, ctx.user);
      await prisma.comment.delete({ where: { id, userId: actor.id } });
    }),
  // the context handed to a helper of this module that refuses
  edit: publicProcedure.mutation(async ({ ctx }) => { ownerOnly(ctx); await prisma.comment.update({}); }),
  // an inline check in the resolver itself
  pin: publicProcedure.mutation(async ({ ctx }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' });
    await prisma.comment.update({});
  }),
  // a helper handed the caller that only logs: no check
  add: publicProcedure.mutation(async ({ ctx }) => { audit(ctx.user); await prisma.comment.create({}); }),
  // refuses only signed-in callers (`ctx.user && ...`): anyone else goes on
  hide: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.user && ctx.user.id === 'banned') throw new TRPCError({ code: 'FORBIDDEN' });
    await prisma.comment.update({});
  }),
  // a NOT_FOUND after reading the caller is no refusal of who calls
  like: publicProcedure.mutation(async ({ ctx }) => {
    const row = await prisma.comment.findFirst({ where: { userId: ctx.user?.id } });
    if (!row) throw new TRPCError({ code: 'NOT_FOUND' });
  }),
  // the refusing helper is called only in a branch: not every request is checked
  maybe: publicProcedure.input(z.boolean()).mutation(async ({ input, ctx }) => {
    if (input) { await requireActor(undefined, ctx.user); }
    await prisma.comment.update({});
  }),
  // no check at all
  open: publicProcedure.mutation(async () => prisma.comment.create({})),
});
"""


def test_a_resolver_checking_the_caller_itself_or_through_a_helper_is_required() -> None:
    routes = _routes({"trpc.ts": TRPC, "helpers.ts": HELPERS, "comments.ts": COMMENTS})
    auth = {path: value for (_, path), value in routes.items()}
    assert auth["remove"][0] == "required" and "`requireActor` throws UNAUTHORIZED" in auth["remove"][1]
    assert auth["edit"][0] == "required" and "`ownerOnly` throws FORBIDDEN" in auth["edit"][1]
    assert auth["pin"][0] == "required" and "reads ctx.user and throws UNAUTHORIZED" in auth["pin"][1]
    for quiet in ("add", "hide", "like", "maybe", "open"):
        assert auth[quiet][0] == "none", quiet


def test_a_refusal_for_another_reason_than_the_caller_is_no_check() -> None:
    closed = """import { TRPCError } from '@trpc/server';
import { router, publicProcedure } from './trpc';
export const pollsRouter = router({
  vote: publicProcedure.mutation(async ({ ctx }) => {
    const poll = await load(ctx.user?.id);
    if (closedNow()) throw new TRPCError({ code: 'FORBIDDEN' });
    return poll;
  }),
});
"""
    routes = _routes({"trpc.ts": TRPC, "polls.ts": closed})
    assert {path: value[0] for (_, path), value in routes.items()} == {"vote": "none"}


def test_a_helper_refusing_when_verification_fails_is_a_check_but_one_rethrowing_is_not() -> None:
    helpers = """import { TRPCError } from '@trpc/server';
import jwt from 'jsonwebtoken';
export function verifiedCaller(token: string) {
  try {
    return jwt.verify(token, process.env.SECRET);
  } catch {
    throw new TRPCError({ code: 'UNAUTHORIZED' });
  }
}
export function passOn(token: string) {
  try {
    return decode(token);
  } catch (err) {
    throw err;
  }
}
"""
    notes = """import { router, publicProcedure } from './trpc';
import { verifiedCaller, passOn } from './helpers';
export const notesRouter = router({
  save: publicProcedure.mutation(({ ctx }) => { const who = verifiedCaller(ctx.token); return who; }),
  peek: publicProcedure.mutation(({ ctx }) => { const who = passOn(ctx.token); return who; }),
});
"""
    routes = _routes({"trpc.ts": TRPC, "helpers.ts": helpers, "notes.ts": notes})
    auth = {path: value for (_, path), value in routes.items()}
    assert auth["save"][0] == "required" and "`verifiedCaller` throws UNAUTHORIZED" in auth["save"][1]
    assert auth["peek"][0] == "none"


DESTRUCTURED = """import { initTRPC } from '@trpc/server';
const { router, middleware, procedure } = initTRPC.meta<Meta>().context<Context>().create({});
export { router, middleware, procedure };
"""
GUARDS = """import { middleware } from './trpc';
const isAuthenticated = middleware(async ({ ctx, next }) => {
  const auth = await processAuth(ctx);
  if (!auth) { throw errors.unauthorized(); }
  return next({ ctx: { ...ctx, auth } });
});
const isEnabled = middleware(async ({ ctx, next }) => next());
export { isAuthenticated, isEnabled };
"""
TAGS = """import { isAuthenticated, isEnabled } from './middleware';
import { procedure, router } from './trpc';
const authenticatedProcedure = procedure.use(isAuthenticated);
const tagsRouter = router({
  get: authenticatedProcedure.meta({ openapi: { method: 'GET', path: '/tags' } }).query(async ({ ctx }) => 1),
  list: procedure.use(isEnabled).query(async () => []),
});
export { tagsRouter };
"""
APP = """import { tagsRouter } from './tags';
import { router } from './trpc';
const appRouter = router({ tags: tagsRouter });
export { appRouter };
"""


def test_procedures_of_a_destructured_instance_are_listed_with_their_builders_auth() -> None:
    """`const { router, procedure } = initTRPC...create()`: the destructured members are the instance's,
    so the routers built with them list their procedures, each decided by its own middleware chain
    (no adapter in the review: the path is the procedure path alone, the evidence says so)."""
    routes = _routes({"trpc.ts": DESTRUCTURED, "middleware.ts": GUARDS, "tags.ts": TAGS, "app.ts": APP})
    assert routes[("GET", "tags.get")][0] == "required"
    assert routes[("GET", "tags.list")][0] != "required"


def test_a_middleware_refusing_a_missing_caller_as_unauthorized_guards_and_another_refusal_does_not() -> None:
    """`if (!auth) throw errors.unauthorized()` after `auth = await processAuth(ctx)`: the refusal says
    the caller is unauthenticated; the same test throwing a plain error (a bad request) is no guard."""
    routes = _routes({"trpc.ts": DESTRUCTURED, "middleware.ts": GUARDS, "tags.ts": TAGS, "app.ts": APP})
    assert "throws unauthorized when `processAuth(...)` finds no caller" in routes[("GET", "tags.get")][1]
    plain = GUARDS.replace("throw errors.unauthorized();", "throw new Error('missing');")
    routes = _routes({"trpc.ts": DESTRUCTURED, "middleware.ts": plain, "tags.ts": TAGS, "app.ts": APP})
    assert routes[("GET", "tags.get")][0] != "required"


HELPER_GUARDS = """import { middleware } from './trpc';
const authMiddleware = async (ctx, meta) => {
  const required = meta?.permissions?.session || [];
  const auth = await processAuth(ctx);
  if (!auth) { throw errors.unauthorized(); }
  return { auth };
};
const isAuthenticated = middleware(async ({ ctx, next, meta }) => {
  const extension = await authMiddleware(ctx, meta);
  return next({ ctx: extension });
});
const isEnabled = middleware(async ({ ctx, next }) => next());
export { isAuthenticated, isEnabled };
"""


def test_a_middleware_handing_its_destructured_context_to_a_helper_is_judged_with_the_helper() -> None:
    """`async ({ ctx, next, meta }) => { await authMiddleware(ctx, meta) ... }`: the helper handed `ctx`
    refuses a missing caller; `meta.permissions.session` is the procedure's metadata, not a session read."""
    routes = _routes({"trpc.ts": DESTRUCTURED, "middleware.ts": HELPER_GUARDS, "tags.ts": TAGS, "app.ts": APP})
    auth, evidence = routes[("GET", "tags.get")]
    assert auth == "required" and "processAuth(...)` finds no caller" in evidence and "meta." not in evidence


def test_a_router_re_exported_by_a_barrel_is_mounted_under_the_importers_key() -> None:
    """`import { billingRouter } from './route'; export { billingRouter }` in `billing/index.ts`, then
    `router({ billing: billingRouter })` importing it from `./billing`: the procedures sit below `billing.`."""
    billing = ("import { procedure, router } from '../trpc';\n"
               "const billingRouter = router({ usage: procedure.query(async () => 1) });\nexport { billingRouter };\n")
    barrel = "import { billingRouter } from './route';\nexport { billingRouter };\n"
    app = ("import { billingRouter } from './billing';\nimport { router } from './trpc';\n"
           "const appRouter = router({ billing: billingRouter });\nexport { appRouter };\n")
    routes = _routes({"trpc.ts": DESTRUCTURED, "billing/route.ts": billing, "billing/index.ts": barrel, "app.ts": app})
    assert set(routes) == {("GET", "billing.usage")}
