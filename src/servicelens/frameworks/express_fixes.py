"""Fixes written in the route's own framework idiom for route-level findings on JavaScript and
TypeScript routes: the route as the file declares it, with an authentication step in front of
its handler (Express middleware, a NestJS guard, a Fastify `onRequest` hook, Koa middleware, a Next.js
API route's wrapper, the auth decorator or middleware argument of inversify-express-utils, routing-controllers and tsoa)."""
from __future__ import annotations

from typing import Callable

from servicelens.endpoints.route import RouteFact
from servicelens.model.finding import Fix

RULE_PREFIX = "js"


def require_auth_fix(route: RouteFact) -> Fix:
    writer = _WRITERS.get(route.framework, _express)
    return writer(route)


def _express(route: RouteFact) -> Fix:
    """`router.post('/orders', requireAuth, handler)`: the route with a guard before the handler."""
    router = route.router.rsplit(".", 1)[-1] or "router"
    handler = route.qualname.replace("#", ".") if not route.qualname.startswith("<anon@") else "/* the existing handler */"
    method = (route.methods[0] if route.methods else "post").lower()
    code = (f"{router}.{method}('{route.path or '/'}', requireAuth, {handler});\n"
            "// requireAuth: the middleware this router's other routes use (passport.authenticate('jwt', "
            "{ session: false }), express-jwt, or your own check that answers 401)")
    return Fix("Put the authentication middleware the other routes use in front of this handler (or "
               f"`{router}.use(requireAuth)` before the routes that need it), or declare the upstream gateway with "
               "`auth-middleware` in [tool.servicelens] if auth happens there.", code, "javascript")


def _nest(route: RouteFact) -> Fix:
    """`@UseGuards(JwtAuthGuard)` on the method, and no `@Public()`-style opt-out."""
    method = (route.methods[0] if route.methods else "post").capitalize()
    name = route.qualname.rsplit(".", 1)[-1]
    code = (f"@{method}('{route.path.rsplit('/', 1)[-1] or ''}')\n"
            "@UseGuards(JwtAuthGuard) // the guard the controller's other routes rely on; drop any @Public()\n"
            f"async {name}(/* unchanged parameters */) {{ /* unchanged */ }}")
    return Fix("Run the authentication guard on this route: remove the metadata that opens it, or add "
               "`@UseGuards(...)` with the guard its siblings use (a global `APP_GUARD` covers every route).",
               code, "typescript")


def _fastify(route: RouteFact) -> Fix:
    """The route's options with an `onRequest` hook that verifies the caller."""
    method = (route.methods[0] if route.methods else "post").lower()
    code = (f"fastify.{method}('{route.path or '/'}', {{ onRequest: [fastify.authenticate] }}, async (request, reply) => {{\n"
            "  // unchanged handler\n});\n"
            "// or fastify.addHook('onRequest', fastify.authenticate) in the plugin that registers these routes")
    return Fix("Give the route an `onRequest` hook that verifies the caller (the decorator the other plugins use), "
               "or add the hook to its plugin so every route registered there is covered.", code, "typescript")


def _decorated(guard: str, note: str) -> Callable[[RouteFact], Fix]:
    """A controller library's own decorator in front of the method (`@Authorized()`, `@Security('jwt')`)
    or its middleware argument (`@httpPost('/path', TYPES.AuthMiddleware)`)."""
    def write(route: RouteFact) -> Fix:
        method = (route.methods[0] if route.methods else "post").capitalize()
        name = route.qualname.rsplit(".", 1)[-1]
        path = route.path.rsplit("/", 1)[-1] or ""
        decorator = guard.format(method=method, path=path)
        code = f"{decorator} // {note}\nasync {name}(/* unchanged parameters */) {{ /* unchanged */ }}"
        return Fix("Run the authentication step the controller's other routes use on this route (or on the whole "
                   "controller).", code, "typescript")
    return write


def _next(route: RouteFact) -> Fix:
    """`export default withAuth(handler)`: the exported handler wrapped by the project's check."""
    handler = route.qualname.rsplit(".", 1)[-1]
    handler = handler if not handler.startswith("<anon@") else "handler"
    code = (f"export default withAuth({handler});\n"
            "// withAuth: the wrapper the other API routes export through (it reads the session or token, "
            "answers 401 when there is none, and calls the handler otherwise)")
    return Fix("Export this API route through the authentication wrapper the other routes use, or check the "
               "session at the top of the handler and answer 401 without one.", code, "typescript")


def _trpc(route: RouteFact) -> Fix:
    """The procedure built from a builder whose middleware refuses callers without a user."""
    key = procedure_key(route)
    kind = "mutation" if route.methods and route.methods[0].upper() == "POST" else "query"
    code = (f"{key}: protectedProcedure.{kind}(/* the existing resolver, its .input(...) unchanged */),\n"
            "// protectedProcedure: the builder the router's other procedures use, e.g.\n"
            "// t.procedure.use(({ ctx, next }) => { if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED' }); "
            "return next({ ctx }); })")
    return Fix("Build this procedure from the builder whose middleware refuses callers without a user (or check "
               "`ctx.user` at the top of the resolver and throw `TRPCError({ code: 'UNAUTHORIZED' })`).", code, "typescript")


def procedure_key(route: RouteFact) -> str:
    """`/api/trpc/posts.comments.add` -> "add": the key the procedure is written under in its router."""
    return route.path.rsplit("/", 1)[-1].rsplit(".", 1)[-1] or "procedure"


_WRITERS = {"express": _express, "trpc": _trpc, "koa": _express, "nestjs": _nest, "fastify": _fastify, "nextjs": _next,
            "inversify-express-utils": _decorated("@http{method}('/{path}', TYPES.AuthMiddleware)",
                                                  "the middleware token the other routes name"),
            "routing-controllers": _decorated("@{method}('/{path}')\n@Authorized()",
                                              "or @UseBefore(AuthMiddleware) as the other routes do"),
            "tsoa": _decorated("@{method}('{path}')\n@Security('jwt')",
                               "the security scheme the other operations declare")}
