"""missing-authentication: state-changing or sensitive endpoints with no auth check in reach.

## What it finds
A POST/PUT/PATCH/DELETE handler (Flask and flask-restful/restx/smorest resources, FastAPI,
Django/DRF, aiohttp, Falcon) with no authentication decorator, dependency, permission class (also as
chosen per action by a view's `get_permissions`), router-level dependency, before_request hook
(also one an app factory registers as a closure, less the views it lets through by endpoint
name) or middleware (aiohttp's, Django's MIDDLEWARE, a FastAPI/Starlette app's `add_middleware`
class or `@app.middleware("http")` function; a Falcon app's middleware and a resource's `@falcon.before`
hooks: endpoints/falcon_apps.py, less the resources such a middleware lets through by what they declare,
`auth = {"exempt_methods": ["GET"]}` or `auth_required = False`: endpoints/falcon_gates.py). Decorators,
dependencies, hooks and middlewares
count by what their bodies do (endpoints.principals), not by their names: a decorator a project
gate built from a predicate (`@permission_gate def librarian(kwargs): return current_user.is_librarian`)
counts when the gate refuses (401/403) on the predicate's answer. A FastAPI router's dependencies
count wherever the router is built, in the module or in a factory function that builds the list
step by step (`deps = [...]; if auth_enabled: deps.append(Depends(is_authenticated));
router = APIRouter(dependencies=deps)`), for every router it includes, however deep.

A POST counts as changing state unless both signals say it only reads: nothing it runs writes (its body
and every project function the call graph reaches from it: no called name with a write verb, no
INSERT/UPDATE/DELETE SQL; a cookie set on the caller's own response is no server write), and its name,
class or route says it reads (`get_info`, `list_types`, `Search.post`, `MarkdownPreview`):
analysis/state_changes.py, models/vocabulary/state_changes.yaml. An RPC-style read, a search or a
preview is then not reported; a stub named for a write, or named for nothing, still is. PUT, PATCH and
DELETE always count.

## Why it matters
Anyone who can reach the service can change data: create charges, delete accounts,
change other users' settings. Scanners find such endpoints within hours of deployment.

## Known problems
Auth enforced outside the code (an API gateway, a middleware configured in another
repository) is invisible: declare it with `auth-middleware` in the configuration. A service (each
app of a repository on its own) whose code requires authentication on no endpoint is not reported (its auth lives
elsewhere, or it is public by design); a route whose siblings on the same router, or in the
same module, require authentication is reported with high confidence. Endpoints that are
public by design (login, signup, accepting an invitation, password reset, webhooks, health: a word of the route's own path or
handler name, where a word starts, so `redirectDelivery` is no liveness probe) are skipped, and so are
routes with a decorator or dependency the review could not read (endpoints.unread). A Python
webhook or callback (by its path or name) is public by design only when its handler checks the
sender: it calls something that verifies a signature or compares a digest (`hmac.compare_digest`,
`verify_signature(...)`, `stripe.Webhook.construct_event`), hands the proof the sender presented (a
parameter or header named for a signature, token or secret) to a call that is not a log line
(`app.state.payco.parse_webhook(payload, signature)`: the provider client checks it, whatever it is
called), compares a presented token or secret,
answers 401/403, or carries a project decorator named for such a check (`@hmac_signed`), in its body
or a function of its module it calls (analysis/sender_checks.py). One that checks nothing is
reported: anyone who finds the URL can send the provider's events.
A Python read route (GET) is reported when its response carries people's private data (a birth date,
an identity document's number, bank or card details, health records, credentials; an e-mail or phone
only beside one of those: analysis/personal_reads.py) in a service that authenticates other endpoints
(`GET /sailings/<id>/manifest` returning passengers' `date_of_birth` and `document_number`); the data
is judged by the names of the fields the handler itself returns, so a response built by a function
of another module is not read (false negative), and routes of an `internal` module or path (what
other containers of the deployment call on its own network) or a `demo` one (a demo deployment
publishing its made-up accounts) are left out.
On a Python router a read route (GET) is also reported when it is the only open read of a router whose
other reads require authentication and it serves a record by the same id as an authenticated route of
that router (`GET /vehicles/<id>/positions` open beside an authenticated `POST /vehicles/<id>/reserve`).
On Express/Koa/Fastify routers a read route is reported too when it sits below a guarded
sibling's record path (`GET /:id/report.pdf` open beside an authenticated `GET /:id`), or below a
record whose read requires authentication on another router of the same service (a route
registered on the parent router before its `use(authenticate)`), unless it serves a picture
(avatars, thumbnails: what an `<img>` tag loads cannot send a bearer token). Middleware that
reads only the request's payload (`validate(schema)`) and refuses with no 401/403 checks nobody.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.analysis.overview import service_of
from servicelens.analysis.state_changes import declares_read, read_only_handlers
from servicelens.config.settings import Settings
from servicelens.fixcode.routes import Handler, require_auth
from servicelens.frameworks.express_fixes import RULE_PREFIX, require_auth_fix
from servicelens.frameworks.js_project import JS_FRAMEWORKS
from servicelens.frameworks.python_handlers import RouteFact
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_PUBLIC_BY_DESIGN = re.compile(
    r"(?i)(login|logout|sign_?in|sign_?up|register|token|refresh|password|forgot|reset|verify|confirm|"
    r"activate|webhook|callback|health|ready|live|status|ping|metrics|oauth|sso|saml|public|contact|(un)?subscribe|"
    r"csp|report|graphql|client_secret|claim|validate)")
# the same words where a word of a name starts (`redirectDelivery` is no liveness probe)
_PUBLIC_WORD = re.compile(r"(?<![a-z])" + _PUBLIC_BY_DESIGN.pattern.removeprefix("(?i)"))
# machine-to-machine endpoints: public by design only when they check who sent the call (a signature,
# a shared secret or token: analysis/sender_checks.py); what stands in for the login is that check
_SENDER_CHECKED = re.compile(r"(?i)(webhook|callback|hook|notify|notification|ipn|inbound)")
# pictures a page shows with `<img src>`, which sends no Authorization header: public by design
_PUBLIC_MEDIA = re.compile(r"(?i)avatar|image|thumb|icon|logo|photo|picture|banner|cover|\.(png|jpe?g|gif|svg|webp)$")


def _snake(name: str) -> str:
    """`redirectDelivery` -> `redirect_delivery`, lower case, so a word's start can be told."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _own_path(path: str) -> str:
    """The endpoint's own part of its path, its last literal segment and its parameters:
    `/public/cache/{key}` is a cache purge whatever prefix its router is mounted under, while
    `/checkouts/client/{client_secret}` is reached with a secret."""
    parts = [part for part in path.split("/") if part]
    literal = [part for part in parts if not part.startswith(("<", "{", ":"))]
    return "/".join(literal[-1:] + [part for part in parts if part.startswith(("<", "{", ":"))])


def missing_authentication(facts: Sequence[FileFacts], settings: Settings,
                           roots: Sequence[str] = ("",)) -> list[Finding]:
    """`roots`: the service roots of the review (analysis.overview.service_roots); each service
    is judged on its own, so a repository of several apps compares a route with its own app."""
    if settings.auth_middleware or not settings.enabled("missing-authentication"):
        return []
    routes = [(fact, route) for fact in facts for route in fact.routes]
    protected = Counter(service_of(fact.rel, list(roots)) for fact, route in routes if route.auth == "required")
    candidates = []
    for fact, route in routes:
        methods = [m for m in route.methods if m in STATE_CHANGING]
        if _effective_auth(fact, route) != "none" or not methods or route.framework == "connexion":
            continue
        if not protected[service_of(fact.rel, list(roots))]:
            continue  # its service authenticates no endpoint: auth lives outside the code, or it is public
        if _public_by_design(fact, route):
            continue
        candidates.append((fact, route, methods))
    # a POST that only reads (an RPC-style `get_info`, a search or preview) changes nothing
    read_only = read_only_handlers(facts, (_key(fact, route) for fact, route, methods in candidates
                                           if methods == ["POST"] and declares_read(route.qualname, route.path)))
    findings = []
    for fact, route, methods in candidates:
        if methods == ["POST"] and _key(fact, route) in read_only:
            continue
        context, contrasted = _contrast(fact, route, routes, protected[service_of(fact.rel, list(roots))])
        findings.append(make_finding(
            "missing-authentication", Location(fact.rel, route.line),
            f"{'/'.join(methods)} {route.path or route.qualname} changes state without authentication",
            f"Anyone who can reach the service can call `{route.qualname}` and change data; {context}. "
            "Unauthenticated write endpoints are found by scanners within hours of going live.",
            confidence=Confidence.HIGH if contrasted else Confidence.MEDIUM,
            fix=require_auth_fix(route) if route.framework in JS_FRAMEWORKS else _fix(fact, route),
            rule=f"{RULE_PREFIX if route.framework in JS_FRAMEWORKS else 'py'}-missing-authentication",
            key=f"{route.qualname}|{','.join(methods)}",
        ))
    return findings + _open_reads_below_guarded(routes, settings, roots) + _open_python_record_reads(routes) \
        + _open_personal_reads(routes, protected, roots)


def _key(fact: FileFacts, route: RouteFact) -> str:
    return f"{fact.module_name}.{route.qualname}"


def _effective_auth(fact: FileFacts, route: RouteFact) -> str:
    """The route's auth status, except that a Python webhook the endpoint model calls public by design
    (endpoints.public) is open when its handler checks no sender (FileFacts.verified_senders)."""
    if route.auth == "public" and route.auth_evidence.endswith("(webhook)") and fact.language == "python" \
            and route.qualname not in fact.verified_senders:
        return "none"
    return route.auth


def _public_by_design(fact: FileFacts, route: RouteFact) -> bool:
    """Login, signup, health, webhooks...: open on purpose. A Python webhook or callback is so only
    when the handler checks its sender (FileFacts.verified_senders); unchecked, anyone who finds the
    URL can send the provider's events (mark orders paid, shipments delivered)."""
    if route.qualname in fact.session_enders:
        return True  # a sign-out: it ends only the caller's own session (analysis/own_session.py)
    named = [text for text in (_own_path(route.path), route.qualname) if _PUBLIC_WORD.search(_snake(text))]
    if not named:
        return False
    if fact.language != "python" or route.qualname in fact.verified_senders:
        return True
    # a name that says "machine sender" and nothing else public (`login_callback` stays a login)
    return not all(_SENDER_CHECKED.search(text) and not _PUBLIC_BY_DESIGN.search(_SENDER_CHECKED.sub("", text))
                   for text in named)


def _open_reads_below_guarded(routes: Sequence[tuple[FileFacts, RouteFact]], settings: Settings,
                              roots: Sequence[str] = ("",)) -> list[Finding]:
    """A JS/TS read route left open below a guarded sibling's record path on the same router
    (`GET /:id/report.pdf` beside an authenticated `GET /:id`): the same record, by the same id,
    served to anyone. Across routers of one service (a route registered on the parent router
    before its `use(authenticate)`, beside the record's own router), only below a record whose
    *read* requires authentication: that the record is private is then stated, not inferred from
    a guarded write. Only for the Node frameworks for now, whose routers the mounts resolve."""
    guarded: dict[str, list[str]] = {}
    guarded_reads: dict[str, list[str]] = {}
    for fact, route in routes:
        if route.framework in JS_FRAMEWORKS and route.auth == "required" and ":" in route.path:
            guarded.setdefault(route.router, []).append(route.path.rstrip("/"))
            if "GET" in route.methods:
                guarded_reads.setdefault(service_of(fact.rel, list(roots)), []).append(route.path.rstrip("/"))
    findings = []
    for fact, route in routes:
        if route.framework not in JS_FRAMEWORKS or route.auth != "none" or "GET" not in route.methods:
            continue
        candidates = guarded.get(route.router, []) + guarded_reads.get(service_of(fact.rel, list(roots)), [])
        record = next((p for p in candidates if route.path.startswith(p + "/")
                       and p.rsplit("/", 1)[-1].startswith(":")), None)
        if record is None or _PUBLIC_MEDIA.search(route.path[len(record):]):
            continue
        findings.append(make_finding(
            "missing-authentication", Location(fact.rel, route.line),
            f"GET {route.path} serves the record of `{record}` without authentication",
            f"`{record}` on the same router requires authentication, but this route reads the same record by "
            "the same id with no check at all: anyone who guesses or enumerates ids reads it.",
            confidence=Confidence.HIGH, fix=require_auth_fix(route),
            rule=f"{RULE_PREFIX}-missing-authentication", key=f"{route.qualname}|GET",
        ))
    return findings


# a declared dependency or decorator named for authentication: `shipping.auth.ShipmentsRead`,
# `deps.CurrentPrincipal`, `security.require_scope`
_AUTH_WORDS = re.compile(r"(?i)(^|[._])(auth\w*|principal\w*|current_?user|security|permissions?|scopes?|token\w*)([._]|$)"
                         r"|Current[A-Z]|Principal|Auth[A-Z]|Authz|Authenticated")
_PARAM = re.compile(r"^(<[^<>]+>|\{[^{}]+\}|:\w+)$")


def _record_prefix(path: str) -> str:
    """The path up to and including its last parameter: `/api/vehicles/<int:vehicle_id>` for
    `/api/vehicles/<int:vehicle_id>/positions`; "" when the path names no record."""
    parts = path.rstrip("/").split("/")
    last = max((i for i, part in enumerate(parts) if _PARAM.match(part)), default=-1)
    return "/".join(parts[:last + 1]) if last > 0 else ""


def _open_python_record_reads(routes: Sequence[tuple[FileFacts, RouteFact]]) -> list[Finding]:
    """A Python read route, open, that serves a record by the same id as routes on its router that
    require authentication (`GET /vehicles/<id>/positions` open beside an authenticated
    `POST /vehicles/<id>/reserve`), on a router whose other reads all require authentication: the one
    read left out of a guarded router, handing a record's data to anyone who enumerates ids."""
    by_router: dict[str, list[tuple[FileFacts, RouteFact]]] = {}
    for fact, route in routes:
        if fact.language == "python" and route.router and route.framework not in JS_FRAMEWORKS:
            by_router.setdefault(route.router, []).append((fact, route))
    findings = []
    for members in by_router.values():
        reads = [(f, r) for f, r in members if "GET" in r.methods]
        open_reads = [(f, r) for f, r in reads if r.auth == "none" and not _PUBLIC_BY_DESIGN.search(_own_path(r.path))
                      and not _PUBLIC_BY_DESIGN.search(r.qualname)
                      and not _PUBLIC_MEDIA.search(r.path[len(_record_prefix(r.path)):])]
        guarded_reads = [r for _, r in reads if r.auth == "required"]
        if len(open_reads) != 1 or not guarded_reads:
            continue  # the router's reads are open by design, or more than one was left out
        fact, route = open_reads[0]
        if any(_AUTH_WORDS.search(ref) for ref in route.declared_refs):
            continue  # it declares something named for auth the review could not read (`auth.ShipmentsRead`)
        record = _record_prefix(route.path)
        sibling = next((r for _, r in members if r is not route and r.auth == "required" and record
                        and _record_prefix(r.path) == record), None)
        if sibling is None:
            continue
        findings.append(make_finding(
            "missing-authentication", Location(fact.rel, route.line),
            f"GET {route.path} serves the record of `{record}` without authentication",
            f"`{sibling.qualname}` ({'/'.join(sibling.methods)} {sibling.path}) requires authentication for the same "
            f"record (`{sibling.auth_evidence}`), and every other read on this router does too, but this one checks "
            "nothing: anyone who guesses or enumerates ids reads it.",
            confidence=Confidence.MEDIUM, fix=_fix(fact, route), rule="py-missing-authentication",
            key=f"{route.qualname}|GET",
        ))
    return findings


# service-to-service endpoints (`/internal/fetch` a mail fetcher polls): kept on the deployment's own
# network, which the code does not show; and a demo deployment's pages, which publish its made-up
# accounts on purpose (`/welcome` listing the demo users' passwords)
_INTERNAL = re.compile(r"(?i)(^|[/._])(internal|demo|demo_\w+)([/._]|$)")


def _open_personal_reads(routes: Sequence[tuple[FileFacts, RouteFact]], protected: Counter,
                         roots: Sequence[str]) -> list[Finding]:
    """A Python read route, open, whose response carries people's private data (a birth date, an
    identity document's number, bank details, health records, credentials: analysis/personal_reads.py),
    in a service that authenticates other endpoints: a sensitive endpoint anyone can read. Routes
    public by design (by path or name), ones declaring something named for auth the review could
    not read, service-to-service ones (an `internal` module or path) and a demo deployment's (a
    `demo` module or path: made-up accounts, published on purpose) are left out."""
    findings = []
    for fact, route in routes:
        if fact.language != "python" or route.framework in JS_FRAMEWORKS or _effective_auth(fact, route) != "none" \
                or "GET" not in route.methods or STATE_CHANGING & set(route.methods):
            continue
        fields = dict(fact.personal_reads).get(route.qualname)
        if not fields or not protected[service_of(fact.rel, list(roots))] or _public_by_design(fact, route) \
                or _INTERNAL.search(fact.rel.rsplit(".", 1)[0]) or _INTERNAL.search(route.path) \
                or any(_AUTH_WORDS.search(ref) for ref in route.declared_refs):
            continue
        context, contrasted = _contrast(fact, route, routes, protected[service_of(fact.rel, list(roots))])
        shown = ", ".join(f"`{name}`" for name in fields[:4]) + (" ..." if len(fields) > 4 else "")
        findings.append(make_finding(
            "missing-authentication", Location(fact.rel, route.line),
            f"GET {route.path or route.qualname} serves private data ({shown}) without authentication",
            f"`{route.qualname}` answers anyone who calls it with {shown}: data private to the people it describes, "
            f"which no caller has to prove who they are to read; {context}. Enumerating the route's ids hands an "
            "anonymous caller every record (a reportable personal-data breach).",
            confidence=Confidence.HIGH if contrasted else Confidence.MEDIUM, fix=_fix(fact, route),
            rule="py-missing-authentication", key=f"{route.qualname}|GET",
        ))
    return findings


def _contrast(fact: FileFacts, route: RouteFact, routes: Sequence[tuple[FileFacts, RouteFact]],
              protected: int) -> tuple[str, bool]:
    """What the route's siblings (the routes declared on the same router, else in the same
    module) require: a route left open among guarded siblings is the strongest sign that a
    guard was forgotten, rather than meant to live elsewhere."""
    if route.router:
        siblings = [other for _, other in routes if other.router == route.router and other is not route]
        where = f"on `{route.router.rsplit('.', 1)[-1]}`"
    else:
        siblings = [other for other_fact, other in routes if other_fact.rel == fact.rel and other is not route]
        where = "in this module"
    guarded = [other for other in siblings if other.auth == "required"]
    if guarded:
        example = guarded[0]
        return (f"{len(guarded)} of the {len(siblings)} other routes {where} require authentication "
                f"(`{example.qualname}`: {example.auth_evidence})"), True
    return f"{protected} other endpoint(s) of this service require authentication", False


def _fix(fact: FileFacts, route: RouteFact) -> Fix:
    """The route itself, as the file declares it, with the framework's login requirement."""
    key = f"{fact.module_name}.{route.qualname}"
    params = next((s.params for s in fact.summaries if s.key == key), ())
    class_name = route.qualname.rpartition(".")[0]
    bases = dict(fact.class_bases).get(f"{fact.module_name}.{class_name}", ()) if class_name else ()
    handler = Handler(route.framework, route.qualname.rpartition(".")[2], params, route.methods, route.path,
                      route.router, class_name, bases)
    code = require_auth(handler)
    return Fix("Require an authenticated principal on this route (decorator, dependency or permission class), "
               "or declare the upstream gateway with `auth-middleware` in [tool.servicelens] if auth happens there.",
               code, "python" if code else "")
