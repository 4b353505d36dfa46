"""One model of a service's endpoints and of who may call them.

    per file (cached)                           project phase (inventory.with_inventory)
    ────────────────                            ─────────────────────────────────────────
    frameworks/python_handlers ─ RouteFact ─┐
      candidates: Resource/MethodView/      ├─> bind registrations (paths, exact methods)
        web.View verbs, aiohttp functions   │   bind Connexion operations (method, path, security)
      drf: @api_view, @action, generics     │   analysis.route_auth (DRF settings, router includes)
    registrations: add_resource, add_get, ──┘   decide principals (decorator/dependency/helper bodies)
        add_routes, @ns.route, Application      decide aiohttp middlewares
    principals: guard / inert functions ──────> mark public by design (sign-in, health, webhooks)
    sign_ins: checks the password it is sent, ──┘ (a sign-in by what it does, whatever its name)
        issues a session or token

Each endpoint ends with exactly one auth status and its evidence: required (by what), none,
public (by design), or unknown (why).
"""
