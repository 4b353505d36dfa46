"""Fixes written in Express's own idiom for route-level findings: the route as the file
declares it (its router, method, path and handler), with an authentication middleware in its
chain."""
from __future__ import annotations

from servicelens.endpoints.route import RouteFact
from servicelens.model.finding import Fix

RULE_PREFIX = "js"


def require_auth_fix(route: RouteFact) -> Fix:
    """`router.post('/orders', requireAuth, handler)`: the route with a guard before the handler."""
    router = route.router.rsplit(".", 1)[-1] or "router"
    handler = route.qualname if not route.qualname.startswith("<anon@") else "/* the existing handler */"
    method = (route.methods[0] if route.methods else "post").lower()
    code = (f"{router}.{method}('{route.path or '/'}', requireAuth, {handler});\n"
            "// requireAuth: the middleware this router's other routes use (passport.authenticate('jwt', "
            "{ session: false }), express-jwt, or your own check that answers 401)")
    return Fix("Put the authentication middleware the other routes use in front of this handler (or "
               f"`{router}.use(requireAuth)` before the routes that need it), or declare the upstream gateway with "
               "`auth-middleware` in [tool.servicelens] if auth happens there.", code, "javascript")
