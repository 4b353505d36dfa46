"""Routers kept on project objects: a class whose member holds a router registers its routes under
paths a method of the class (or of a base class in another module) builds, behind middleware the
object's maker hands its constructor, and is mounted as `use('/prefix', new Routes(...).router)`."""
from __future__ import annotations

from servicelens.analysis.javascript_file import analyze_javascript
from servicelens.frameworks.express_mounts import with_express_mounts
from servicelens.sources.parsing import ParserPool

PATHS = ("export abstract class Paths {\n"
         "  public at(segment: string, scoped = true) {\n"
         "    let url = '/' + segment;\n"
         "    if (scoped) {\n      url += '/:tenant';\n    }\n"
         "    return url;\n  }\n"
         "  public short(segment: string, keyed = true) {\n"
         "    let url = `/v2/${segment}`;\n"
         "    keyed ? (url += '/:key') : null;\n"
         "    return url;\n  }\n"
         "  public lookedUp(segment: string) {\n    return registry.find(segment);\n  }\n}\n")
SIGNED_IN = ("export function signedIn(req, res, next) {\n"
             "  if (!req.user) {\n    return res.status(401).end();\n  }\n  next();\n}\n")
BILLING = ("import { Router } from 'express';\nimport { Paths } from './paths';\n\n"
           "export class BillingRoutes extends Paths {\n"
           "  public readonly router: Router = Router();\n\n"
           "  constructor(options: object, ...checks: any[]) {\n    super();\n"
           "    this.router.post(this.at('invoices'), ...checks, (req, res) => res.sendStatus(201));\n"
           "    this.router.delete(this.short('cards'), ...checks, (req, res) => res.sendStatus(204));\n"
           "    this.router.get(this.at('status', false), (req, res) => res.json({ up: true }));\n"
           "    this.router.put(this.short('hooks', false), (req, res) => res.sendStatus(200));\n"
           "    this.router.patch(this.lookedUp('plans'), ...checks, (req, res) => res.sendStatus(200));\n"
           "  }\n}\n")


def _routes(files: dict[str, str]) -> set[tuple[str, str, str]]:
    pool = ParserPool()
    facts = with_express_mounts([analyze_javascript(rel, text, pool) for rel, text in files.items()])
    return {(r.methods[0], r.path, r.auth) for fact in facts for r in fact.routes}


def _app(mount: str, extra: str = "") -> str:
    return ("import express from 'express';\nimport { BillingRoutes } from './billing';\n"
            "import { signedIn } from './auth';\n" + extra +
            "const app = express();\nconst checks = [signedIn];\n" + mount + "app.listen(8080);\n")


def test_routes_of_a_router_object_get_paths_from_an_inherited_helper_and_guards_from_its_maker() -> None:
    app = _app("app.use('/billing', new BillingRoutes({}, ...checks).router);\n")
    found = _routes({"app.ts": app, "billing.ts": BILLING, "paths.ts": PATHS, "auth.ts": SIGNED_IN})
    assert found == {("POST", "/billing/invoices/:tenant", "required"),
                     ("DELETE", "/billing/v2/cards/:key", "required"),
                     ("GET", "/billing/status", "none"),
                     ("PUT", "/billing/v2/hooks", "none"),
                     ("PATCH", "/billing/{this.lookedUp('plans')}", "required")}


def test_middleware_the_review_cannot_name_leaves_the_routes_undecided() -> None:
    app = _app("app.use('/billing', new BillingRoutes({}, makeCheck()).router);\n",
               "import { makeCheck } from 'some-auth-kit';\n")
    found = _routes({"app.ts": app, "billing.ts": BILLING, "paths.ts": PATHS, "auth.ts": SIGNED_IN})
    assert ("POST", "/billing/invoices/:tenant", "unknown") in found
    assert ("GET", "/billing/status", "none") in found


def test_a_slot_no_maker_fills_stays_undecided() -> None:
    """The rest parameter receives nothing here; the review does not conclude the routes are open
    from the makers it sees (another may hand checks), only the routes that use no slot are."""
    app = _app("app.use('/billing', new BillingRoutes({}).router);\n")
    found = _routes({"app.ts": app, "billing.ts": BILLING, "paths.ts": PATHS, "auth.ts": SIGNED_IN})
    assert ("POST", "/billing/invoices/:tenant", "unknown") in found
    assert ("GET", "/billing/status", "none") in found


def test_a_router_object_hands_its_own_checks_to_the_router_objects_it_mounts() -> None:
    group = ("import { Router } from 'express';\nimport { BillingRoutes } from './billing';\n"
             "export class ApiRoutes {\n  public readonly router: Router;\n"
             "  constructor(...checks: any[]) {\n    this.router = Router();\n"
             "    this.router.use('/pay', new BillingRoutes({}, ...checks).router);\n  }\n}\n")
    app = ("import express from 'express';\nimport { ApiRoutes } from './api';\nimport { signedIn } from './auth';\n"
           "const app = express();\napp.use('/', new ApiRoutes(signedIn).router);\napp.listen(8080);\n")
    found = _routes({"app.ts": app, "api.ts": group, "billing.ts": BILLING, "paths.ts": PATHS, "auth.ts": SIGNED_IN})
    assert ("POST", "/pay/invoices/:tenant", "required") in found
    assert ("PUT", "/pay/v2/hooks", "none") in found


def test_a_path_helper_given_a_non_literal_registers_nothing() -> None:
    billing = ("import { Router } from 'express';\nimport { Paths } from './paths';\n"
               "export class BillingRoutes extends Paths {\n  public readonly router: Router = Router();\n"
               "  constructor(name: string) {\n    super();\n"
               "    this.router.get(this.at(name), (req, res) => res.json({}));\n  }\n}\n")
    app = _app("app.use('/billing', new BillingRoutes('x').router);\n")
    assert _routes({"app.ts": app, "billing.ts": billing, "paths.ts": PATHS, "auth.ts": SIGNED_IN}) == set()


def test_an_api_key_header_read_by_name_is_a_credential() -> None:
    guard = ("export function keyed(req, res, next) {\n  const key = req.get('apikey');\n"
             "  if (!key) {\n    return res.status(401).end();\n  }\n  next();\n}\n")
    app = ("import express from 'express';\nimport { keyed } from './key';\nconst app = express();\n"
           "app.post('/jobs', keyed, (req, res) => res.sendStatus(202));\napp.listen(8080);\n")
    assert _routes({"app.ts": app, "key.ts": guard}) == {("POST", "/jobs", "required")}


def test_an_application_handed_to_a_constructor_serves_the_routes_its_methods_register() -> None:
    api = ("import { Application } from 'express';\n"
           "export class ReportsApi {\n  constructor(private _app: Application, private _store: object) {}\n"
           "  public attach() {\n    this._app.get('/reports', (req, res) => res.json([]));\n  }\n}\n"
           "export function addReports(app: Application, store: object) {\n"
           "  new ReportsApi(app, store).attach();\n}\n")
    server = ("import express from 'express';\nimport { addReports } from './reports';\n"
              "const app = express();\naddReports(app, {});\napp.listen(8080);\n")
    assert _routes({"server.ts": server, "reports.ts": api}) == {("GET", "/reports", "none")}


def test_a_non_application_constructor_parameter_is_not_an_application() -> None:
    api = ("export class ReportsApi {\n  constructor(private _store: any) {}\n"
           "  public attach() {\n    this._store.get('/reports', (row) => row.id);\n  }\n}\n")
    assert _routes({"reports.ts": api}) == set()
