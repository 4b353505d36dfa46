"""Broken object-level authorization (BOLA / IDOR): an object fetched by the id the client sent,
with nothing tying it to the caller.

## What it finds
In a request handler (Django/DRF view, Flask route, FastAPI path operation), a lookup keyed by
a client-supplied id (a route parameter or request data):
`Order.objects.get(pk=pk)`, `get_object_or_404(Order, id=order_id)`, `Order.query.get(order_id)`,
`session.get(Order, order_id)`, `db.get_or_404(Order, order_id)`,
`select(Order).where(Order.id == order_id)`, raw SQL `... WHERE id = %s` with that id (Django's
async `aget_object_or_404`/`aget` too), whose result is then returned, changed or deleted, when
- the lookup has no condition on the caller (`user=request.user`, `owner_id == current_user.id`,
  `tenant=...`, or a queryset reached from the user such as `request.user.orders`), and
- the function performs no object permission check (`check_object_permissions`, `has_perm`,
  `if order.user != request.user: ...`, `if item.owner_id != current_user.id: raise ...`).

A class-based view whose lookup the framework makes (REST framework generic views and viewsets
answering retrieve/update/destroy or calling `self.get_object()`; Django's DetailView, UpdateView,
DeleteView) is reported at its queryset when that queryset selects every row of a private model
(`queryset = Invoice.objects.all()`, `model = MedicalRecord`, a `get_queryset` returning such a
chain without reading the request, or one that narrows rows to the caller only in a branch for
the list action, `if self.action == "list": return qs.filter(user=self.request.user)`, and returns
every row to the detail actions after it) and its access is login only (`IsAuthenticated`, also as
DEFAULT_PERMISSION_CLASSES, `LoginRequiredMixin`): only where a router or URLconf serves it.

## Why it matters
Ids are guessable (sequential integers) or leak in URLs and logs. Any signed-in user can read,
change or delete order 1043 of another customer just by changing the id in the request; this is
the most common API vulnerability (OWASP API1) and usually a reportable data breach.

## Example
```python
@app.get("/orders/<int:order_id>")
@login_required
def get_order(order_id):
    order = Order.query.get_or_404(order_id)
    return jsonify(order.to_dict())
```
Use instead:
```python
    order = Order.query.filter_by(id=order_id, user_id=current_user.id).first_or_404()
```

## Fix
Scope the lookup to the caller (filter by owner/tenant, or start from `request.user.orders`),
or check ownership right after fetching and answer 404 (not 403, which confirms the id exists).
In DRF, use `self.get_object()` with a `get_queryset()` filtered by user and object permissions.

## Known problems
Medium confidence. Only the handler itself is read: a check done in a helper, a decorator, a
middleware, a database row-level policy or a custom manager is not seen (false positive).
Admin-only endpoints (role decorators, dependencies, or an admin/internal module or route), views
guarded by Django's model permissions (`@permission_required("app.change_x")`, `PermissionRequiredMixin`
with a declared codename: a role granted every row of the model by design),
lookups narrowed to a parent named by another URL parameter under a permission of the project's
own (`Webhook.objects.get(pk=pk, workspace__slug=slug)` below `@allow_permission(...)`: that permission
is handed the same URL and checks membership of the parent), routes behind a project decorator that reads the
view's URL arguments, compares what they name with the caller and keeps the view from running otherwise
(`@owner_or_manager(Employee)` whose wrapper fetches `kwargs["emp_id"]` and tests `request.user`; a
predicate about the URL's object built into a decorator by a refusing gate), and
public catalogue objects (products, categories, published posts) are skipped; an
unauthenticated endpoint is reported only for objects whose name says they are private (order,
invoice, account ...), or that the same module elsewhere fetches scoped to the caller or their
tenant, or compares with the caller after fetching, or hands to a call together with the caller
(`svc.finish(principal, trip)`), or lists scoped to the caller (`repo.list_payouts(conn, g.merchant["id"])`):
the code itself says they are per-user. A fetched object (or a row fetched by a key read off it:
`wallet = Wallet.objects.get(pk=statement.wallet_id)`) handed with the caller to a call before any
other use (`ensure_same_company(vehicle, principal)`), or wrapped at once by a helper named for an
ownership check (`owned_or_404(repo.get_payout(...))`), counts as checked: that call may compare them; so does
a function of the same module handed the request and the fetched row as a statement
(`bookmark_read(request, asset.bookmark_id)`) when its body compares `request.user` and raises.
So does a fetched object asked about the caller, with a refusal that ends the request
(`if not letter.editable_by(request.user): return 403`, `if not claim.can_be_approved_by(user):
abort(403)`: a method of the object named for an access decision), and a lookup preceded by a check
handed both the caller and the id whose refusal ends the request (`if not can_rollback(request.user,
workflow_id): raise PermissionDenied`): whatever the project calls it, it was told who asks for what.
So does a lookup preceded by a function of the same module (or a method of the handler's class)
handed the id and the request or the caller, whose body refuses (401/403, a denial) in a branch
comparing the caller, when the handler leaves unless it said yes (`ok, content =
self.validate_request_user(pk, request)`, `if not ok: return content`; or, as a statement, it raises).
Getters of a repository, DAO, store, CRUD module or service (`repo.get_account(account_id)`,
`store.load_document(doc_id)`) count as lookups of the getter's noun when the receiver's name or
class says what it is, and so do noun-less getters (`get`, `find_by_id`) of a repository whose name
or class names one thing (`TripRepository(session).get(trip_id)` -> Trip, and a parameter declared as one:
`svc: TripService = Depends(...)`); a key read from a row
fetched earlier (`driver.user_id`) is the server's, not the client's, and so is anything computed from
what a lookup returned (`classes = db.get_classes(row["owner"])`, `classes[0]`, `f"{row['owner']}-{name}"`,
`link.get("target_id")`): the lookup keyed by the client's id is the one judged, once. A lookup narrowed
by a key stored on a row fetched earlier (`filter(parent_id=row.parent_id, id=client_id)`) picks only a
row inside that parent, and a fetched row refused unless it is among a server-held parent's rows
(`if key not in project.deploy_keys: abort(404)`) is checked; a collection the client sent checks
nothing. A getter that also receives the caller (`find_claim_for_member(id,
g.member_id)`) is scoped. A repository reached by another name, and lookups through a queryset
stored in another variable or another function, are not followed (false negative). The caller's
identity is recognised from `request.user`, `current_user`, FastAPI auth dependencies, a decoded
token (`jwt.decode(...)["sub"]`) and what an auth hook put on Flask's `g` (`g.user_id`), and
what an auth decorator of the same module hands the handler (`return view(*args, club=club)`), and
a FastAPI parameter whose dependency returns what it derived from the caller, wherever it is defined
and whatever its alias is called (`ctx: OrgMember` for `Annotated[OrgContext, Depends(get_org_context)]`
whose body takes `Security(get_current_user)` and returns a context built from that user; a factory
such as `require_role(...)` returning such a dependency; a dependency that refuses the request unless
the API key in a header finds a row and returns that row's tenant): `repo.get_for_org(ctx.org_id,
invoice_id)` is scoped (frameworks/caller_dependencies.py). A dependency that takes the caller but
returns something else (the client's paging options) is not the caller. Such a parameter only scopes
lookups: whether a handler deals with per-user data at all (for a model whose name says nothing) is
still judged from the caller it names itself, so an audit logger bound to the admin does not make an
admin API's lookups someone's. A value read back from a
key-value store (`await redis.get(f"otp:{body.challenge_id}")`, `cache.get(key)`) is what the server
stored under that key, not the client's, whoever chose the key: only on a receiver the code knows is
a cache or Redis client (taint/stores.py, the engine's reading too); `.get` on the request's own
mapping (`merged = request.POST; merged.get("cf_" + key)`) stays the client's.
A row found by a unique name instead of an id (`filter_by(username=...)`, `slug=`, `book_title=`,
exact lookups only) is judged only for a signed-in caller (a login-required route, or a handler
that reads the `Authorization` header itself; never a sign-in, sign-up, reset or OAuth route) and
only when the module elsewhere scopes the same model to the caller, or the handler changes or
deletes the row (another account's password). A model whose name says nothing is still reported
for a signed-in caller when its rows point at a person (a foreign key named `patient`, `user`,
`customer` ...: a lab result, a payslip) and the lookup is not made inside a parent row the handler
fetched first (`Comment.object_id == db_object.id`).
A REST framework view whose permission classes include one whose `has_permission` reads a key of the
request (`view.kwargs["invoice_pk"]`, `request.data.get("wallet")`), relates it (or a row fetched by it)
to the caller in one statement and can refuse, has had that key judged before it runs, wherever the class
is defined: a lookup keyed by the same request key is checked; one keyed by another key is still judged
(rules/python/_object_permission_classes.py). A function whose only answers are a 401/403 refusal or
nothing, and that writes no rows (`get_modification_error(request, board_pk)`), is itself the access
check its views consult: its lookups decide whom to refuse and are not reported.
A model defined in the project whose rows point at no other row (no foreign key or relation, its
project bases included) and hold no personal data is shared reference data nobody owns, and is not
reported; a model with a library base the review cannot read is judged as before.
A lookup that filters, by the client's value, a field the project only ever fills with a value
nobody can guess is a capability, not an id (rules/python/_generated_secrets.py): `map_id` stored
only from `hashlib.md5(...).hexdigest()` of the map file, `share_id = Column(default=new_share_id)`
where `new_share_id` returns `secrets.token_urlsafe(24)`, a `digest` stored from `sha256(contents)`.
Whoever holds such a value was handed it (a share link, an invitation, a download link), so the
lookup is theirs. A field also stored from anything else (the client's name for it, a copy of
another field), a hash of an id, and primary keys or fields named like one (`id`, `pk`, `uuid`:
identities listed wherever the object appears, however random) stay ids; so does a field filled
by an identifier generator (uuid4, a ULID) unless its name says it is a secret (`share_uuid`).
A route behind a gate that admits by one configured token (a decorator whose wrapper compares the
request's header with a setting, `hmac.compare_digest(token, config["API_TOKEN"])`, refuses a
mismatch and records no identity: rules/python/_shared_token_gates.py) has one principal, the
operator, who manages every row; so does a route whose auth decorator is told it requires an
administrator's role (`@require_auth(role=UserRole.ADMIN)`).
A project decorator applied with a permission codename (`@permission_required(perm="hr.view_contract")`)
whose wrapper, wherever it is defined, runs the view only where `request.user.has_perm(<that codename>)`
said yes (inside `if ...has_perm(perm):`, with no `or`, or after `if not ...has_perm(perm): raise/return`)
is Django's model permission under the project's name: a role granted every row of the model
(rules/python/_permission_gates.py). A gate that runs the view either way, or one whose body the review
cannot read, is judged as before. So is a view declaring `permission_required = "app.codename"` on a
mixin of the project's built on Django's `PermissionRequiredMixin` (`class OrganizationPermissionMixin(
PermissionRequiredMixin)`, wherever it is defined); a mixin that only shares the attribute's name is not.
A lookup inside the branch of an `if` that a query scoped to the caller, keyed by the same client id, lets
through (`if ProjectMember.objects.filter(member=request.user, project_id=pk).exists(): Project.objects.get(pk=pk)`;
with `or`, every way in must be such a query) is the membership's. A lookup only narrowed to the fetched row
(`get_object_or_404(Survey.objects.filter(engagement=engagement), id=sid)`) does not use the row before a
check of it (`allowed = user_has_permission(request.user, engagement, "edit")`, then `if not allowed: raise`).
A staff flag of the project's naming (`if not request.user.is_apply_staff: raise PermissionDenied`) is staff.
A caller a gateway or the service's middleware names in an identity header (`user_id: str = Header(...)`,
`headers.actor_id` of a `Depends(get_headers)` bundle, `request.headers["X-User-Id"]`), and a person's row
loaded by it (`actor = get_actor_or_default(actor_id=headers.actor_id)`), is the caller for scoping: a lookup
handed it (`get_conversation_by_id(conversation_id=cid, actor=actor)`) is scoped (rules/python/_header_callers.py;
whether the header can be trusted is missing-authentication's question). It does not make a handler's
data per-user, and a header naming no person (`X-Project-Id`, the `User-Agent`) scopes nothing.
A Django middleware whose `process_view` looks its checks up by the route's URL name in a table of the
project's (`URL_PERMISSIONS.get(request.resolver_match.url_name)`), reads the URL argument an entry names
(`view_kwargs.get(arg_name)`) and can refuse, has judged that argument's object for every route the table
lists: a lookup keyed by it, in a view a URLconf names so, is checked (rules/python/_url_name_checks.py). A
route the table does not list, an entry naming no argument (a global permission) and a lookup keyed by
another argument are judged as before; whether the middleware is installed in MIDDLEWARE is not read.
A route parameter the handler binds again, before the lookup and on every path to it, from a value holding
nothing of the client's (`id = f"{student}-{row['level']}"` in a loop over a fetched class's students, then
`student_adventure_by_id(id)`) is the server's at that lookup (rules/python/_access.py `server_rebound`): a
binding in a branch that may not run, one from the client's own value (`id = id.strip()`,
`id = request.args.get("id", id)`), or one later in a loop body (the next round sees it) leaves it the client's.
A Django view's parameter with a default (`def get(self, request, book_id, readthrough_id=None)`, a function
view's `entry_id=None`) that no URL pattern of the project names keeps its default on every request, so a
lookup keyed only by it (`if readthrough_id: get_object_or_404(ReadThrough, id=readthrough_id)`) never runs
and is not reported (rules/python/_unfilled_view_params.py); `pk`, `slug`, `id`, a viewset's parameters,
a project with no URLconf, or one passing a group by position only, are judged as before. The names are
the project's, not per route: a parameter some other pattern names counts as filled.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.config.settings import Settings
from servicelens.endpoints.principals import exits_denied
from servicelens.endpoints.public import public_reason
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.endpoints.route import RouteFact
from servicelens.rules.python import _access as access
from servicelens.rules.python import _detail_views as detail_views
from servicelens.rules.python import _generated_secrets as secrets
from servicelens.rules.python._project_calls import CalleeIndex
from servicelens.rules.python._shared_token_gates import shared_token_gates
from servicelens.rules.python._header_callers import header_caller_names
from servicelens.rules.python import _url_name_checks as url_checks
from servicelens.rules.python import _unfilled_view_params as unfilled
from servicelens.frameworks.url_segments import routed_variables
from servicelens.rules.python import _object_permission_classes as permission_classes
from servicelens.rules.python import _permission_gates as permission_gates
from servicelens.rules.python._model_permissions import codename_view_bases, permission_mixins, requires_model_permission
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python.perf_models import ModelFact, shared_models
from servicelens.rules.python.broken_function_authorization import access_vocabulary
from servicelens.taint.scope import HandlerInfo, ModuleScope
from servicelens.taint.stores import store_read_value

_ID_KEY = re.compile(r"^(pk|id|uuid|guid|.+_(id|pk|uuid|guid)|.+Id|(user|account|order|customer|doc|item|profile|"
                     r"invoice|acct|cust|member)id)$", re.IGNORECASE)
_OWNER_WORDS = frozenset({"user", "owner", "tenant", "org", "organization", "organisation", "account", "customer",
                          "company", "team", "workspace", "member", "author", "creator", "merchant", "seller",
                          "buyer", "profile", "patient", "employee", "created", "client"})
_PUBLIC_WORDS = frozenset({"product", "category", "post", "article", "page", "tag", "blog", "country", "region",
                           "city", "currency", "language", "plan", "collection", "brand", "faq", "news", "genre",
                           "catalog", "catalogue", "sku", "variant", "manufacturer", "recipe", "course", "lesson",
                           "book", "movie", "film", "tutorial", "poll", "choice", "question", "menu", "public"})
_PRIVATE_WORDS = frozenset({"order", "invoice", "payment", "transaction", "account", "user", "profile", "address",
                            "card", "message", "document", "file", "ticket", "booking", "reservation", "wallet",
                            "note", "contract", "subscription", "cart", "shipment", "appointment", "patient",
                            "record", "statement", "bill", "receipt", "credential", "secret", "report", "paste",
                            "snippet", "customer", "client", "employee", "member", "contact", "login", "person",
                            "session", "token", "device_token", "chat", "conversation", "inbox"})
# a guard named for what it enforces (`require_admin_or_owner(obj.user_id)`,
# `require_access(alert, user, view_only)`, `ensure_object_permission(...)`) or one of the
# frameworks' own object-permission calls
_PERMISSION_CALL = re.compile(r"(?i)^((check|require|ensure|assert|verify|enforce|validate)_\w*"
                              r"(owner|ownership|access|permission|perms?|rights?|acl)\w*|"
                              r"check_object_permissions?|has_perms?|has_object_permission|user_can\w*|"
                              r"can_(view|edit|access|read|update|delete|modify|manage|see)\w*|authori[sz]e\w*|"
                              r"check_(permissions?|access|owner\w*)|ensure_owner\w*|verify_owner\w*|"
                              r"require_owner\w*|is_owner|assert_owner\w*|enforce|get_objects_for_user|"
                              r"has_access|can_access|check_ownership|owns)$")
# a unique name a row is also found by (`username=`, `slug=`, `book_title=`): as good as its id to
# whoever types it in the URL, but also how public pages are addressed, so judged more narrowly
_NATURAL_KEY = re.compile(r"(?i)^(([a-z0-9]+_)*(username|user_name|login|email|slug|title|handle))(__i?exact)?$")
_SECRET_WORDS = frozenset({"session", "token", "key", "secret", "code", "hash", "nonce", "otp", "signature", "jti"})
_DJANGO_MANAGERS = frozenset({"objects", "_default_manager", "all_objects"})
_BUILDERS = frozenset({"query", "select", "delete", "update", "get_object_or_404", "get_list_or_404"})
# Django's async shortcuts (`aget_object_or_404`, 5.0) look rows up as their synchronous twins do
_ASYNC_SHORTCUTS = {"aget_object_or_404": "get_object_or_404", "aget_list_or_404": "get_list_or_404"}
_SQL_LOOKUP = re.compile(r"(?is)\b(select\b.*?\bfrom|update|delete\s+from)\s+[`\"\[]?(\w+).*?\bwhere\b.*?\b\w*id\b\s*=")
# statements run with their parameters; asyncpg reads rows with `fetch`/`fetchrow`/`fetchval(sql, *args)`
_EXECUTE = frozenset({"execute", "raw", "exec_driver_sql", "fetch", "fetchrow", "fetchval"})
_REPOSITORY_WORDS = frozenset({"repo", "repository", "repositorie", "dao", "store", "crud", "storage", "service", "querie",
                               "svc", "manager", "queries", "gateway", "db", "database", "persistence"})
@dataclass(frozen=True, slots=True)
class Lookup:
    call: ir.Call
    model: str
    key: str  # the client-supplied id, as written
    natural: bool = False  # keyed by a unique name (`username=`, `slug=`, `title=`), not an id


@dataclass(frozen=True, slots=True)
class Candidate:
    finding: Finding
    model: str  # the model read, or `_OWNED` + model when only a person-owned model makes it private
    fields: tuple[str, ...] = ()  # fields the lookup matches against the client's values
    decorators: tuple[str, ...] = ()  # the handler's decorators, by the dotted name they resolve to
    permissions: tuple[str, ...] = ()  # the view's permission classes, by the dotted name they resolve to
    keys: tuple[str, ...] = ()  # the request keys the lookup's id came from (`challenge_pk`, `"environment"`)
    # the handler's decorators applied with a permission codename (`@permission_required(perm="app.view_x")`)
    coded: tuple[str, ...] = ()
    # the view class's bases when it declares `permission_required = "app.codename"`
    mixed: tuple[str, ...] = ()
    views: tuple[str, ...] = ()  # the view, dotted as a URLconf names it (the function, or its class)
    # the Django view's own defaulted parameters every key of the lookup came from (`readthrough_id=None`)
    defaulted: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ObjectFacts:
    """Per file: the unscoped lookups found (each with the model it reads and the fields it filters
    by the client's value), the ORM models defined here, and the fields stored here with where their
    values come from; `combine` drops lookups of models that belong to nobody and lookups keyed by a
    capability (a field only ever filled with a generated secret)."""

    candidates: tuple[Candidate, ...]
    models: tuple[ModelFact, ...]
    secrets: secrets.SecretFields = secrets.SecretFields()
    gates: tuple[str, ...] = ()  # decorators here that admit by one configured token (_shared_token_gates)
    # permission classes here that judge the object a request key names (_object_permission_classes)
    judges: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # decorators here that run the view only under `has_perm` of the codename they are handed (_permission_gates)
    perm_gates: tuple[str, ...] = ()
    # classes here built on Django's PermissionRequiredMixin (_model_permissions.permission_mixins)
    mixins: tuple[str, ...] = ()
    # tables of URL names a middleware here consults before each view (_url_name_checks), the tables
    # defined here, and the URL names this URLconf gives its views
    url_guards: tuple[str, ...] = ()
    url_tables: tuple[url_checks.UrlTable, ...] = ()
    url_names: tuple[tuple[str, str], ...] = ()
    # the routes of this file's URL patterns (frameworks.url_segments.routed_variables)
    url_routes: tuple[str, ...] = ()


_NOTHING = ObjectFacts((), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> ObjectFacts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> ObjectFacts:
    if is_test_path(module.path):
        return _NOTHING
    models = shared_models(module, scope) if module.classes else ()
    return ObjectFacts(tuple(_candidates(module, scope)), models, secrets.secret_fields(module, scope),
                       tuple(shared_token_gates(module, scope)),
                       tuple(permission_classes.judging_permission_classes(module, scope)) if module.classes else (),
                       tuple(permission_gates.permission_gates(module, scope)),
                       tuple(permission_mixins(module, scope)) if module.classes else (),
                       tuple(url_checks.middleware_tables(module, scope)) if module.classes else (),
                       tuple(url_checks.url_tables(module)), tuple(url_checks.view_url_names(module, scope)),
                       unfilled.url_routes(module, scope))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, ObjectFacts)]
    by_name: dict[str, list[ModelFact]] = {}
    for fact in facts:
        for model in fact.models:
            by_name.setdefault(model.name, []).append(model)
    by_qualname = {m.qualname: m for ms in by_name.values() for m in ms}
    capabilities = secrets.capabilities(fact.secrets for fact in facts)
    gates: CalleeIndex[bool] = CalleeIndex((name, True) for fact in facts for name in fact.gates)
    judges: CalleeIndex[tuple[str, ...]] = CalleeIndex(judged for fact in facts for judged in fact.judges)
    perm_gates: CalleeIndex[bool] = CalleeIndex((name, True) for fact in facts for name in fact.perm_gates)
    mixins: CalleeIndex[bool] = CalleeIndex((name, True) for fact in facts for name in fact.mixins)
    consulted = {name for fact in facts for name in fact.url_guards}
    url_tables = {name: {url: frozenset(strings) for url, strings in entries}
                  for fact in facts for name, entries in fact.url_tables if name in consulted}
    url_names: dict[str, set[str]] = {}
    for fact in facts if url_tables else ():
        for view, url_name in fact.url_names:
            url_names.setdefault(view, set()).add(url_name)
    named_views = {view: frozenset(names) for view, names in url_names.items()}
    routed = routed_variables(route for fact in facts for route in fact.url_routes)
    for fact in facts:
        for candidate in fact.candidates:
            finding, model = candidate.finding, candidate.model
            if capabilities.capability(model.removeprefix(_OWNED), candidate.fields):
                continue  # found by a value only its holder knows: a share link, an invitation
            if any(gates.get(name) for name in candidate.decorators):
                continue  # one configured token admits the caller: a single principal manages every row
            if any(perm_gates.get(name) for name in candidate.coded):
                continue  # Django's model permission under the project's name: a role granted every row
            if any(mixins.get(name) for name in candidate.mixed):
                continue  # the project's PermissionRequiredMixin, told the codename the view requires
            if any(set(judges.get(name) or ()) & set(candidate.keys) for name in candidate.permissions):
                continue  # the view's permission class judged the object this key names against the caller
            if url_tables and set(candidate.keys) & url_checks.checked_keys(candidate.views, named_views, url_tables):
                continue  # a middleware judged the object this URL argument names, by the route's URL name
            if routed is not None and candidate.defaulted and not set(candidate.defaulted) & routed:
                continue  # no URL pattern fills the parameter: it keeps its default, the branch never runs
            if model.startswith(_OWNED):
                if settings.enabled(finding.concern) and _owned_by_person(model[len(_OWNED):], by_name):
                    yield finding
            elif settings.enabled(finding.concern) and not _belongs_to_nobody(model, by_name, by_qualname):
                yield finding


# a candidate whose model's name does not say it is private: reported only if its rows point at a person
_OWNED = "owned-by-person:"
# a relation that makes a row someone's personal data: the person it is about or belongs to
_PERSON_FIELDS = frozenset({"user", "owner", "customer", "patient", "member", "account", "client", "employee",
                            "person", "profile", "student", "buyer"})


def _owned_by_person(model: str, by_name: Mapping[str, list[ModelFact]]) -> bool:
    """`LabResult.patient = ForeignKey(Patient)`: a row about one person (a lab result, a payslip),
    fetched by id for any signed-in caller, is another person's data whatever the model is called."""
    found = by_name.get(model) or []
    return len(found) == 1 and any(
        (field.kind in ("fk", "o2o") or field.references) and access.name_words(field.name) & _PERSON_FIELDS
        for field in found[0].fields)


# bases every ORM model has; any other base must be read before a model can be called ownerless
_ORM_ROOTS = frozenset({"Model", "Base", "SQLModel", "DeclarativeBase", "DeclarativeBaseNoMeta", "Document"})
# columns that make a row personal data whoever else it points to
_PERSONAL_WORDS = frozenset({"password", "email", "phone", "token", "secret", "ssn", "address", "iban", "salary"})


def _belongs_to_nobody(model: str, by_name: Mapping[str, list[ModelFact]], by_qualname: Mapping[str, ModelFact],
                       depth: int = 0) -> bool:
    """A model defined once in the project whose rows point at no other row (no foreign key,
    relation or referencing column, its project bases included) and hold no personal data: shared
    reference data (a bracket, a template, an exercise type) that no caller owns, so fetching it by
    id is no IDOR. Unknown or ambiguous models, and user models, are never called ownerless."""
    found = by_name.get(model) or []
    return len(found) == 1 and _ownerless(found[0], by_qualname, depth)


def _ownerless(model: ModelFact, by_qualname: Mapping[str, ModelFact], depth: int) -> bool:
    if depth > 5 or access.name_words(model.name) & {"user", "account", "member", "profile", "customer"}:
        return False
    for field in model.fields:
        if field.kind != "column" or field.references or access.name_words(field.name) & _PERSONAL_WORDS:
            return False
        if _is_id_key(field.name) and field.name.lower() not in ("id", "pk", "uuid", "guid"):
            return False  # `owner_id = Column(Integer)`: a reference without a declared constraint
    for base in model.bases:
        parent = by_qualname.get(base)
        if parent is not None:
            if not _ownerless(parent, by_qualname, depth + 1):
                return False
        elif base.rsplit(".", 1)[-1] not in _ORM_ROOTS:
            return False  # a mixin or library base the review cannot read may carry the owner
    return True


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterator[Candidate]:
    if is_test_path(module.path) or not (scope.handlers or module.classes):
        return
    # what the module treats as the caller's data is only needed when a lookup looks unscoped
    # and its model's name does not say so: computed once, on first need
    tenant_models = functools.cache(lambda: _caller_scoped_models(module))
    for function in module.functions if scope.handlers else ():
        handler = scope.handlers.get(function.qualname)
        if handler is not None:
            decorators = _decorator_names(function, scope)
            permissions = permission_classes.view_permission_classes(
                function, access.enclosing_class(module, function), scope)
            stored = functools.partial(store_read_value, scope=scope, function=function)
            cls = access.enclosing_class(module, function)
            coded = tuple(permission_gates.applied_with_codename(
                (*function.decorators, *(cls.decorators if cls is not None else ())), scope))
            mixed = codename_view_bases(cls, scope)
            views = (f"{module.module_name}.{function.qualname}",
                     *((f"{module.module_name}.{function.class_name}",) if function.class_name else ()))
            defaulted = unfilled.defaulted_view_params(function, cls, handler)
            yield from (replace(c, decorators=decorators, permissions=permissions, coded=coded, mixed=mixed,
                                views=views, defaulted=c.keys if defaulted and set(c.keys) <= defaulted else ())
                        for c in _check_handler(module, function, handler, tenant_models, stored))
    # class-based views answering through their bases have no handler of their own in this file
    if module.classes and not access.in_admin_area(module.path, ""):
        for view in detail_views.unscoped_detail_views(module):
            yield from _detail_view_candidate(module, scope, view)


# a class-based view whose framework-made lookup is unscoped, in a file that cannot tell whether a
# router or URLconf serves it or what DEFAULT_PERMISSION_CLASSES says: decided by `routed_detail_views`
PENDING_DETAIL_RULE = "py-broken-object-authorization-pending-route"
_LOOKUP_STEP = "calls `self.get_object()`"


# models that are people's public face: read-only views of them are directories, not IDOR
_PROFILE_WORDS = frozenset({"user", "profile", "member", "author", "person"})


def _detail_view_candidate(module: ir.Module, scope: ModuleScope, view: detail_views.DetailView
                           ) -> Iterator[Candidate]:
    """`class InvoiceDetail(RetrieveUpdateAPIView): queryset = Invoice.objects.all()` with only
    `IsAuthenticated`: `get_object()` hands any signed-in caller any invoice by its `pk`."""
    model = _model_of(view.queryset) if isinstance(view.queryset, ir.Call) else ir.last_name(view.queryset)
    if not model or access.name_words(model) & _PUBLIC_WORDS:
        return
    if not view.writes and access.name_words(model) & _PROFILE_WORDS:
        return  # another member's profile shown read-only is how directories and mentions work
    handlers = [scope.handlers.get(f.qualname) for f in view.lookups]
    signed_in = view.login_only and any(h is not None and h.auth == "required" for h in handlers)
    line = view.queryset.line
    end_line = (view.queryset.end_line if isinstance(view.queryset, ir.Call) else 0) or line
    steps = (TraceStep(Location(module.path, view.cls.line), f"view `{view.cls.qualname}` answers detail requests "
                       "through the framework's `get_object()`", module.line_text(view.cls.line)),
             *(TraceStep(Location(module.path, f.line), _LOOKUP_STEP, module.line_text(f.line)) for f in view.lookups),
             TraceStep(Location(module.path, line), f"the queryset `get_object()` filters selects every {model}, "
                       "with no condition on the caller", module.line_text(line)))
    finding = make_finding(
        "broken-object-authorization", Location(module.path, line, end_line),
        f"Probable IDOR: `{view.cls.qualname}` looks {model} up by the URL's id in an unscoped queryset",
        f"The framework's `get_object()` finds the {model} by the `pk` in the URL within this queryset, and "
        f"the view's permissions only require a login: any signed-in user can read or change another "
        f"customer's {model} by changing the id (OWASP API1: broken object level authorization).",
        confidence=Confidence.MEDIUM, evidence=steps,
        fix=Fix("Scope the queryset to the caller in `get_queryset()` (rows outside it answer 404), or add an "
                "object permission class whose `has_object_permission` compares the owner.",
                f"def get_queryset(self):\n    return {model}.objects.filter(owner=self.request.user)", "python"),
        rule=RULE.id if signed_in else PENDING_DETAIL_RULE, key=f"{model}:{view.cls.qualname}",
    )
    # whether the model is someone's is read from its name or its rows' person (`combine`), not from
    # another view of the module scoping it: a "my rows" view beside an "all rows" one is common
    private = bool(access.name_words(model) & _PRIVATE_WORDS)
    yield Candidate(finding, model if private else f"{_OWNED}{model}")  # `get_object()` looks up by the primary key


def routed_detail_views(findings: Iterable[Finding], routes: Iterable[tuple[str, RouteFact]]) -> list[Finding]:
    """Pending detail-view findings stand where the project routes one of the view's detail actions
    (a router registration or URLconf binds the class) and that route only requires a login
    (its own `permission_classes`, or DEFAULT_PERMISSION_CLASSES, lists login-only classes)."""
    found = list(findings)
    if not any(f.rule == PENDING_DETAIL_RULE for f in found):
        return found
    guarded = {(rel, route.line, route.qualname) for rel, route in routes
               if route.registered and route.auth == "required" and detail_views.plain_route_permissions(route.auth_evidence)}
    out = []
    for finding in found:
        if finding.rule != PENDING_DETAIL_RULE:
            out.append(finding)
            continue
        view = finding.evidence[0].location
        cls = finding.key.split(":", 1)[1]  # `{model}:{class qualname}`
        lookups = {s.location.start_line for s in finding.evidence[1:] if s.description == _LOOKUP_STEP}
        if any(rel == view.path and qualname.startswith(f"{cls}.") and (
                (line == view.start_line and qualname.rsplit(".", 1)[-1] in detail_views.DETAIL_ACTIONS)
                or line in lookups) for rel, line, qualname in guarded):
            out.append(replace(finding, rule=RULE.id))
    return out


def _caller_scoped_models(module: ir.Module) -> frozenset[str]:
    """Models this module elsewhere treats as the caller's: fetched scoped to the caller or their
    tenant (`StockItem.objects.filter(warehouse__organization=current_org(request))`), or fetched
    and then compared with the caller (`if doc.owner_id != g.user_id: abort(404)`). The code
    itself says they are per-user data, so an unscoped lookup of the same model elsewhere is worth
    reporting even when the model's name does not say so."""
    found: set[str] = set()
    for function in module.functions:
        principals = access.principal_names(function)
        assigned = _receivers(function, _assignments(function))
        fetched: dict[str, str] = {}  # local name -> model
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if not isinstance(node, ir.Call):
                        continue
                    model = _fetched_model(node, assigned)
                    if model is not None and _scopes_to_caller(node, set(), principals):
                        found.add(model)
                    listed = _listed_model(node, assigned)
                    if listed is not None and any(_callers(a, principals) for a in node.args):
                        found.add(listed)
                    found.update(model for name, model in fetched.items()
                                 if _handed_with_caller(node, {name}, principals))
            value = stmt.value.value if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) \
                else stmt.value if isinstance(stmt, ir.Assign) else None
            if isinstance(value, ir.Call):
                model = _fetched_model(value, assigned)
                if model is not None:
                    fetched.update((t.id, model) for t in stmt.targets if isinstance(t, ir.Name))
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Compare) and _compares_principal(node, principals):
                        found.update(model for name, model in fetched.items()
                                     if any(access.reads(side, {name}) for side in (node.left, *node.comparators)))
    return frozenset(found)


def _fetched_model(call: ir.Call, assigned: dict[str, ir.Expr]) -> str | None:
    model = _model_of(call)
    if model is None and isinstance(call.func, ir.Attr) and _is_repository(call.func.value, assigned):
        noun = access.getter_noun(call) or _generic_getter_noun(call, assigned)
        if noun:
            model = _model_name(noun)
    return model


# `list_payouts(conn, g.merchant["id"])`, `find_orders_for(user)`: a listing of one kind of row
_LISTER = re.compile(r"^(list|get|find|load|fetch|search|all)_(?P<noun>[a-z][a-z0-9_]*?[^s])s(_(for|of|by)_\w+)?$")


def _listed_model(call: ir.Call, assigned: dict[str, ir.Expr]) -> str | None:
    """The model a repository's listing call returns rows of (`repo.list_payouts(...)` -> Payout):
    listed scoped to the caller, it says the rows are per-caller data."""
    if not isinstance(call.func, ir.Attr) or not _is_repository(call.func.value, assigned):
        return None
    match = _LISTER.match(call.func.attr)
    return _model_name(match.group("noun")) if match else None


def _handed_with_caller(call: ir.Call, names: set[str], principals: set[str]) -> bool:
    """`ensure_same_company(vehicle, principal)`, `svc.finish(principal, trip)`: the fetched object
    and the caller handed to one call, which can compare them (the review may not see its body)."""
    values = (*call.args, *(kw.value for kw in call.kwargs))
    return any(access.reads(v, names) for v in values) and any(_callers(v, principals) and not access.reads(v, names)
                                                                for v in values)


_GENERIC_GETTERS = frozenset({"get", "find", "load", "fetch", "read", "lookup", "retrieve", "by_id", "get_by_id",
                              "find_by_id", "get_one", "find_one", "one", "get_or_404", "first_or_404"})


def _generic_getter_noun(call: ir.Call, assigned: dict[str, ir.Expr]) -> str:
    """`TripRepository(session).get(trip_id)`, `trips_repo.find_by_id(i)`: a getter that names no
    noun, on a repository whose own name or class names the one thing it stores."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in _GENERIC_GETTERS:
        return ""
    receiver = call.func.value
    name = ir.dotted_name(receiver) or ""
    spelled = [name.rsplit(".", 1)[-1]] if name else []
    value = receiver if isinstance(receiver, ir.Call) else assigned.get(name)
    if isinstance(value, ir.Call):
        spelled.insert(0, (ir.dotted_name(value.func) or "").rsplit(".", 1)[-1])
    for word_source in spelled:
        nouns = [w for w in access.words(word_source) if w not in _REPOSITORY_WORDS and w != "repositories"]
        if len(nouns) == 1 and len(nouns[0]) > 2:
            noun = nouns[0]
            return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun
    return ""


def _model_name(noun: str) -> str:
    return "".join(part.capitalize() for part in noun.split("_"))


def _refetch(key: str, assigned: dict[str, ir.Expr]) -> bool:
    """`item.pk` / `dest.id` / `driver.user_id` where `item` holds what an earlier call returned (a
    fetched row): the first lookup is the one judged; this one follows a key the server stored on
    that row, which the client cannot choose."""
    base, _, attr = key.rpartition(".")
    value = assigned.get(base)
    if not base or not _is_id_key(attr) or value is None:
        return False
    value = value.value if isinstance(value, ir.Await) else value
    return isinstance(value, ir.Call) and not access.is_request_data(value)


# what a call changes rather than reads: a row it creates or updates holds what it was handed
_WRITES = frozenset({"create", "acreate", "get_or_create", "aget_or_create", "update_or_create", "bulk_create",
                     "update", "bulk_update", "delete", "insert", "add", "save", "merge"})


def _fetched_rows(value: ir.Expr, assigned: dict[str, ir.Expr]) -> bool:
    """`classes = db.get_student_classes(row["username"])`, `link = Link.objects.filter(pk=pk).first() or {}`:
    what a lookup returned is what the database holds, so the ids read from it (`classes[0]`,
    `link.get("target_id")`, `f"{row['owner']}-{name}"`) are the server's, however the first lookup was
    keyed; that lookup is the one judged. `_refetch` is the same fact for one attribute of a row."""
    while isinstance(value, ir.Await) or (isinstance(value, ir.BoolOp) and value.op == "or"):
        value = value.value if isinstance(value, ir.Await) else value.values[0]  # type: ignore[union-attr]
    if not isinstance(value, ir.Call) or access.is_request_data(value):
        return False
    method = value.func.attr if isinstance(value.func, ir.Attr) else ""
    if method in _WRITES:
        return False
    if _model_of(value) is not None:
        return True
    return isinstance(value.func, ir.Attr) and _is_repository(value.func.value, assigned) and bool(
        access.GETTER.match(method) or method in _GENERIC_GETTERS)


def _within_fetched_row(call: ir.Call, assigned: dict[str, ir.Expr], steered: set[str]) -> bool:
    """`Stage.objects.filter(recruitment_id=candidate.recruitment_id, id=stage_id)`,
    `service.get_tasks(user.id, project_id=project_id)`: the lookup is narrowed to a parent named by a key
    the server stored on a row fetched earlier; that fetch is the one judged, and the client's id can only
    pick a row inside that parent. Only a parent fetched by the client's id counts (that lookup is
    reported or cleared at its own line); one found by a public handle (`filter(anchor=anchor)`) is not
    judged anywhere, and narrowing to it leaves every row of whichever parent the client named."""
    keyed = [kw.value for kw in call.kwargs if kw.name and _is_id_key(kw.name.split("__")[0])]
    for value in (*call.args, *keyed):
        base = _spelling(value).rpartition(".")[0]
        parent = assigned.get(base)
        parent = parent.value if isinstance(parent, ir.Await) else parent
        if _refetch(_spelling(value), assigned) and isinstance(parent, ir.Call) \
                and _lookup(parent, steered, assigned) is not None:
            return True
    return False


def _receivers(function: ir.Function, assigned: dict[str, ir.Expr]) -> dict[str, ir.Expr]:
    """What each name holds, for telling a repository or service object and what it stores: the
    values bound in the body, and the class a parameter is declared as (`svc: TripService =
    Depends(trip_service)`, `repo: OrderRepository`), as if the parameter were built from it.
    Only receivers are judged this way: a typed request body's fields stay the client's."""
    typed: dict[str, ir.Expr] = {}
    for param in function.params:
        annotation = param.annotation
        name = ir.dotted_name(annotation) if isinstance(annotation, (ir.Name, ir.Attr)) else None
        if name and name.rsplit(".", 1)[-1][:1].isupper():
            typed[param.name] = ir.Call(param.line, 0, annotation, (), ())  # type: ignore[arg-type]
    return {**typed, **assigned}


def _assignments(function: ir.Function) -> dict[str, ir.Expr]:
    """name -> the value last bound to it (`dest, created = X.get_or_create(...)` binds both)."""
    found: dict[str, ir.Expr] = {}
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            parts = target.elts if isinstance(target, ir.Seq) else (target,)
            for part in parts:
                if isinstance(part, (ir.Name, ir.Attr)):
                    found[ir.dotted_name(part) or ""] = stmt.value
    return found


def _check_handler(module: ir.Module, function: ir.Function, handler: HandlerInfo,
                   tenant_models: Callable[[], frozenset[str]] = frozenset,
                   stored: Callable[[ir.Expr], bool] | None = None) -> Iterator[Candidate]:
    assigned = _assignments(function)
    # what the client chose or steered: a row fetched by the client's key still says which parent the
    # client picked, so it never scopes a lookup to the caller; the keys of a lookup are only the
    # client's own values, not what the database returned for them (that fetch is judged itself)
    steered = access.client_names(function, handler, stops=lambda v: access.verifier_call(v)
                                  or (stored is not None and stored(v)))
    client = access.client_names(function, handler, stops=lambda v: access.verifier_call(v)
                                 or (stored is not None and stored(v)) or _fetched_rows(v, assigned))
    if not client and not _reads_request(function):
        return
    cls = access.enclosing_class(module, function)
    principals = access.principal_names(function, handler) | access.decorator_injected_params(function, module, cls)
    caller_derived = principals - access.principal_names(function, replace(handler, caller_params=frozenset())) \
        if handler.caller_params else frozenset()
    # the caller a gateway or middleware named in a header (`actor = get_actor(actor_id=headers.actor_id)`):
    # it scopes lookups handed it, like a dependency's caller, but says nothing of what data is per-user
    named = header_caller_names(function)
    named_by_header = access.flow_names(function.body, named, lambda e: False) - principals if named else set()
    principals |= named_by_header
    caller_derived = caller_derived | named_by_header
    if access.is_admin_only(function, cls, module) or access.in_admin_area(module.path, handler.path):
        return
    if requires_model_permission(module, function, cls):
        return  # Django's model permission: a role granted every row of the model by design
    if _has_object_check(function, principals) or _field_permissions(module, function, handler):
        return
    if _is_access_check(function):
        return  # its lookups decide whom to refuse; the object reaches no response
    statements = list(ir.walk_stmts(function.body))
    receivers = _receivers(function, assigned)
    admins_only = access.admin_branch_statements(function)  # `if is_admin(): ...`: the admin's shortcut
    member_tests = _branch_tests(function)
    reported: set[tuple[str, str]] = set()
    for index, stmt in enumerate(statements):
        if id(stmt) in admins_only:
            continue
        found = _statement_lookup(stmt, client, principals, receivers, steered)
        rebound = access.server_rebound(function.body, stmt, client, access.is_request_data) if found else frozenset()
        if rebound:  # `id = f"{student}-{row['level']}"` before the lookup: the route's `id` is the server's now
            found = _statement_lookup(stmt, client - rebound, principals, receivers, steered)
        if found is not None and (_refetch(found.key, assigned) or _within_fetched_row(found.call, assigned, steered)):
            continue  # `Item.objects.filter(pk=item.pk).update(...)`: the id of a row already fetched
        if found is None or (found.model, found.key) in reported or not _result_used(stmt, statements[index + 1:]):
            continue
        if _permission_checked_later(stmt, statements[index + 1:], principals, module, client):
            continue
        if _key_cleared_before(found.call, client, statements[:index], principals):
            continue
        if any(_caller_holds_key(test, found.call, client, steered, principals) for test in member_tests.get(id(stmt), ())):
            continue  # inside `if ProjectMember.objects.filter(member=request.user, project_id=pk).exists():`
        if _owner_helper_before(found.call, client, statements[:index], module, function, principals):
            continue
        if _tenant_narrowed(found, steered) and _custom_permission(module, function):
            continue  # `Webhook.objects.get(pk=pk, workspace__slug=slug)` under `@allow_permission(...)`
        if _only_referenced_by_callers_write(stmt, statements[index + 1:], principals):
            continue  # `Block.objects.create(blocker=request.user, blocked=target)`: the caller's row
        if found.natural and (_custom_permission(module, function) or not _natural_key_at_stake(
                found, _signed_in(handler, function), stmt, statements[index + 1:], tenant_models)):
            continue
        reported.add((found.model, found.key))  # one finding per object and id, at its first lookup
        # whether the handler deals with per-user data is judged from the caller it names itself, not from
        # what a dependency derived from the caller (an audit logger bound to the admin, a tenant context)
        if not _worth_reporting(found.model, handler, function, principals - caller_derived) \
                and found.model not in tenant_models():
            if _signed_in(handler, function) and handler.framework != "graphql" \
                    and not access.name_words(found.model) & _PUBLIC_WORDS and not _under_parent(found.call, assigned) \
                    and not _custom_permission(module, function) \
                    and not any(kw.name and kw.name.endswith("__in") for kw in found.call.kwargs):
                # kept only if the model's rows belong to a person (decided in `combine`)
                yield Candidate(_finding(module, function, handler, found, statements[index + 1:]),
                                f"{_OWNED}{found.model}", _client_fields(found.call, client),
                                keys=permission_classes.request_keys(found.key, assigned))
            continue
        yield Candidate(_finding(module, function, handler, found, statements[index + 1:]), found.model,
                        _client_fields(found.call, client), keys=permission_classes.request_keys(found.key, assigned))


# calls that change rows: a function making them serves a request, whatever it answers
_WRITES = frozenset({"delete", "save", "update", "create", "commit", "add", "insert", "remove", "bulk_create",
                     "update_or_create", "get_or_create", "execute"})


def _is_access_check(function: ir.Function) -> bool:
    """`get_modification_error(request, board_pk)` returning a 401/403 response or nothing: a function
    whose only answers are a refusal or nothing is itself the access check its callers consult (`error =
    get_modification_error(...)`, `if error: return error`), and changes no rows."""
    answers = [s for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None
               and not (isinstance(s.value, ir.Const) and s.value.value is None)]
    if not answers or not all(exits_denied((s,)) for s in answers):
        return False
    return not any(isinstance(n, ir.Call) and ir.last_name(n.func) in _WRITES
                   for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _decorator_names(function: ir.Function, scope: ModuleScope) -> tuple[str, ...]:
    """`@common.api_token_authorization` -> the dotted name it resolves to through the imports."""
    names = []
    for decorator in function.decorators:
        dotted = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
        qualified = scope.qualify(dotted, None, set()) if dotted else None
        if qualified:
            names.append(qualified)
    return tuple(names)


def _client_fields(call: ir.Call, client: set[str]) -> tuple[str, ...]:
    """The fields a lookup matches exactly against the client's values: `filter_by(map_id=map_id)`,
    `get(token__exact=t)`, `where(Share.token == t)`, a getter's `key=key`. A capability among them
    (`secrets.Capabilities`) makes the lookup the holder's own."""
    fields = [kw.name.removesuffix("__exact") for kw in call.kwargs
              if kw.name and "__" not in kw.name.removesuffix("__exact") and _is_client(kw.value, client)]
    for arg in call.args:
        if isinstance(arg, ir.Compare) and arg.ops == ("==",) and len(arg.comparators) == 1:
            sides = (arg.left, arg.comparators[0])
            fields += [column.attr for column, value in (sides, sides[::-1])
                       if isinstance(column, ir.Attr) and _capitalised(column.value) and _is_client(value, client)]
    return tuple(dict.fromkeys(fields))


_PLAIN_PERMISSIONS = frozenset({"IsAuthenticated", "AllowAny", "IsAuthenticatedOrReadOnly", "login_required",
                                "LoginRequiredMixin", "jwt_required", "auth_required", "token_required"})


# a parent every row of a multi-tenant model sits in, named in a lookup's filter (`workspace__slug=`)
_TENANT_WORDS = frozenset({"workspace", "project", "org", "organization", "organisation", "tenant", "team",
                           "company", "account", "space", "site", "board", "club", "school", "group"})


def _tenant_narrowed(found: Lookup, client: set[str]) -> bool:
    """`Webhook.objects.get(pk=pk, workspace__slug=slug)`: besides its id, the lookup is narrowed to
    a parent (workspace, project, organisation) named by another parameter of the URL. Under a
    permission of the project's own, handed the same URL parameters, that permission is the
    membership check of that parent (`/workspaces/<slug>/webhooks/<pk>`), and the row cannot come
    from another tenant."""
    for kw in found.call.kwargs:
        if not kw.name or not isinstance(kw.value, ir.Name) or kw.value.id not in client or kw.value.id == found.key:
            continue
        if any(access.name_words(part) & _TENANT_WORDS for part in kw.name.split("__")):
            return True  # `workspace__slug=slug`, or through a relation: `property__organization_id=org_id`
    return False


def _custom_permission(module: ir.Module, function: ir.Function) -> bool:
    """The view declares a permission of the project's own (`permission_classes = [WorkspaceMemberPermission]`,
    `@allow_permission([...])`, `@permission_required(...)`, `@has_perm("requires_member")`, also inside a
    `method_decorator([...])` list): it may be the object or tenant check
    this rule looks for. Judged only for the weaker evidence (a name instead of an id, a model
    whose name says nothing)."""
    cls = access.enclosing_class(module, function)
    exprs = [*function.decorators, *(cls.decorators if cls else ()),
             *(s.value for s in (cls.body if cls else ()) if isinstance(s, ir.Assign) and s.value is not None
               and any(ir.dotted_name(t) == "permission_classes" for t in s.targets))]
    for expr in exprs:
        for node in ir.walk_expr(expr):
            name = ir.last_name(node) if isinstance(node, (ir.Name, ir.Attr)) else ""
            if name and name not in _PLAIN_PERMISSIONS and (re.search(r"(?i)permission|allow|role|member|access", name)
                                                            or {"perm", "perms"} & access.name_words(name)):
                return True
    return False


def _under_parent(call: ir.Call, assigned: dict[str, ir.Expr]) -> bool:
    """`Comment.object_id == db_object.id`, `filter(order=order)` with `order` fetched earlier: the
    row is looked up inside a parent the handler already fetched (and may have checked access to)."""
    def row(node: ir.Expr) -> bool:  # a local bound to what a (non-request, non-conversion) call returned
        value = assigned.get(node.id) if isinstance(node, ir.Name) else None
        value = value.value if isinstance(value, ir.Await) else value
        return isinstance(value, ir.Call) and isinstance(value.func, ir.Attr | ir.Name) \
            and not access.is_request_data(value) and ir.last_name(value.func) not in ("int", "str", "UUID", "float")

    def parent_key(expr: ir.Expr) -> bool:  # `db_object.id`
        return isinstance(expr, ir.Attr) and row(expr.value)
    for node in (n for e in (*call.args, *(k.value for k in call.kwargs)) for n in ir.walk_expr(e)):
        if isinstance(node, ir.Compare) and any(parent_key(side) for side in (node.left, *node.comparators)):
            return True
    for outer in ir.walk_expr(call):
        if isinstance(outer, ir.Call) and any(k.name and k.name not in ("pk", "id") and (parent_key(k.value) or (
                row(k.value) and not _is_id_key(k.name.split("__")[0]))) for k in outer.kwargs):
            return True
    return False


def _signed_in(handler: HandlerInfo, function: ir.Function) -> bool:
    """The caller is known: the route requires a login, or the handler reads the `Authorization`
    header itself (a hand-written token check)."""
    if public_reason(function.qualname, handler.path):
        return False  # sign-in, sign-up, password reset, OAuth callback: the caller is not signed in yet
    if handler.auth == "required":
        return True
    return handler.auth != "none" and any(
        isinstance(n, ir.Const) and isinstance(n.value, str) and n.value.lower() == "authorization"
        for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _natural_key_at_stake(found: Lookup, signed_in: bool, stmt: ir.Stmt, later: list[ir.Stmt],
                          tenant_models: Callable[[], frozenset[str]]) -> bool:
    """A row found by its unique name (`User.query.filter_by(username=username)`) is an IDOR only
    where a name in the URL cannot be public by design: the caller is signed in, and the code
    itself says the rows are per-caller (this module elsewhere scopes the same model to the caller)
    or the handler changes or deletes an owned-looking row (another account's password), not
    just shows a profile or a public page addressed by its slug."""
    if not signed_in:
        return False
    if found.model in tenant_models():
        return True
    names = {t.id for t in stmt.targets if isinstance(t, ir.Name)} if isinstance(stmt, ir.Assign) else set()
    private = bool(access.name_words(found.model) & _PRIVATE_WORDS)
    return private and bool(names) and _changes_object(names, later)


def _changes_object(names: set[str], later: list[ir.Stmt]) -> bool:
    """A field of the fetched object is assigned, or it is deleted (`obj.password = ...`, `db.session.delete(obj)`)."""
    for other in later:
        if isinstance(other, ir.Assign) and any(isinstance(t, ir.Attr) and access.reads(t.value, names)
                                                for t in other.targets):
            return True
        if isinstance(other, ir.Assign) and any(isinstance(t, ir.Name) and t.id in names for t in other.targets):
            return False  # rebound to another object
        for expr in ir.stmt_exprs(other):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _last(node.func) == "delete" and \
                        any(access.reads(a, names) for a in node.args):
                    return True
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "delete" \
                        and access.reads(node.func.value, names):
                    return True
    return False


def _field_permissions(module: ir.Module, function: ir.Function, handler: HandlerInfo) -> bool:
    """Graphene: `order = graphene.Field(Order, id=..., permissions=[...])` next to `resolve_order`."""
    if handler.framework != "graphql":
        return False
    cls = access.enclosing_class(module, function)
    for stmt in cls.body if cls is not None else ():
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and \
                any(isinstance(t, ir.Name) and t.id == handler.path for t in stmt.targets):
            return any(kw.name and "permission" in kw.name for kw in stmt.value.kwargs)
    return False


def _reads_request(function: ir.Function) -> bool:
    return any(access.is_request_data(n) for s in ir.walk_stmts(function.body)
               for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _statement_lookup(stmt: ir.Stmt, client: set[str], principals: set[str],
                      assigned: dict[str, ir.Expr] | None = None, steered: set[str] | None = None) -> Lookup | None:
    """The first client-keyed lookup of a statement, unless the statement also scopes it to the caller
    (by a value the client did not steer: `steered`, the client's values and the rows they fetched)."""
    if isinstance(stmt, (ir.If, ir.While)):
        return None  # `if Order.objects.filter(pk=pk).exists()` only tests, it hands nothing out
    exprs = list(ir.stmt_exprs(stmt))
    calls = [n for e in exprs for n in ir.walk_expr(e) if isinstance(n, ir.Call)]
    if any(_scopes_to_caller(c, client if steered is None else steered, principals) for c in calls):
        return None
    for call in calls:
        found = _lookup(call, client, assigned)
        if found is not None and not any(_wrapped_by_check(other, call) for other in calls):
            return found
    return None


# a helper named for the ownership check it makes on what it is handed (`owned_or_404(row)`,
# `visible_or_404(doc)`, `ensure_owned(order)`)
_CHECK_WRAPPER_WORDS = frozenset({"owned", "owner", "owns", "mine", "visible", "accessible", "permitted",
                                  "authorized", "authorised"})


def _wrapped_by_check(outer: ir.Call, lookup: ir.Call) -> bool:
    """`owned_or_404(repo.get_payout(conn, payout_id))`: the lookup's result goes straight into a
    check of who owns it, which refuses the caller before anything else sees the row."""
    handed = [arg.value if isinstance(arg, ir.Await) else arg for arg in (*outer.args, *(kw.value for kw in outer.kwargs))]
    if outer is lookup or not any(arg is lookup for arg in handed):
        return False
    name = _last(outer.func) or ""
    return bool(_PERMISSION_CALL.match(name) or access.name_words(name) & _CHECK_WRAPPER_WORDS)


def _is_client(expr: ir.Expr, client: set[str]) -> bool:
    return access.reads(expr, client, access.is_request_data)


def _lookup(call: ir.Call, client: set[str], assigned: dict[str, ir.Expr] | None = None) -> Lookup | None:
    model = _model_of(call)
    if model is None:
        return _repository_lookup(call, client, assigned or {})
    for kw in call.kwargs:
        if kw.name and _is_id_key(kw.name.split("__")[0]) and _is_client(kw.value, client):
            return Lookup(call, model, _spelling(kw.value))
    for kw in call.kwargs:
        if kw.name and _NATURAL_KEY.match(kw.name) and _is_client(kw.value, client):
            return Lookup(call, model, _spelling(kw.value), natural=True)
    for arg in call.args:
        if isinstance(arg, ir.Compare) and _compares_id(arg, client):
            client_side = next(s for s in (arg.left, *arg.comparators) if _is_client(s, client))
            return Lookup(call, model, _spelling(client_side))
    attr = call.func.attr if isinstance(call.func, ir.Attr) else ""
    positional = call.args[1:] if _model_first(call) else call.args
    if attr in ("get", "get_or_404", "get_one") or attr in _EXECUTE:
        for arg in positional:
            parts = arg.elts if isinstance(arg, ir.Seq) else (arg,)  # execute(sql, (a, b)): name the client id
            ids = [p for p in parts if _is_client(p, client) and not isinstance(p, ir.Const)
                   and (len(parts) == 1 or _is_id_key(_spelling(p)))]
            if ids:
                return Lookup(call, model, _spelling(ids[0]))
    return None


def _repository_lookup(call: ir.Call, client: set[str], assigned: dict[str, ir.Expr]) -> Lookup | None:
    """`repo.get_account(account_id)`: a getter of a repository, DAO, CRUD module or service object
    called with the client's id. The model is the getter's noun (`get_account` -> Account)."""
    if not isinstance(call.func, ir.Attr) or not _is_repository(call.func.value, assigned):
        return None
    noun = access.getter_noun(call) or _generic_getter_noun(call, assigned)
    if not noun:
        return None
    values = [*call.args, *(kw.value for kw in call.kwargs if kw.name)]
    ids = [v for v in values if _is_client(v, client) and not isinstance(v, ir.Const)]
    chosen = [v for v in ids if _is_id_key(_spelling(v))]  # an id, not an e-mail or a search term
    if not chosen:
        return None
    return Lookup(call, _model_name(noun), _spelling(chosen[0]))


def _is_repository(expr: ir.Expr, assigned: dict[str, ir.Expr]) -> bool:
    """A receiver named like a repository (`repo`, `self.orders_repository`, `crud`, `OrderDAO`),
    or a local built from such a class (`repo = LedgerStore()`)."""
    if isinstance(expr, ir.Call):  # `TripRepository(session).get(trip_id)`
        built = ir.dotted_name(expr.func) or ""
        return bool(access.name_words(built.rsplit(".", 1)[-1]) & _REPOSITORY_WORDS)
    name = ir.dotted_name(expr) or ""
    if not name or name.split(".", 1)[0] in ("request", "self.request", "cache", "redis", "os", "settings"):
        return False
    if access.name_words(name.rsplit(".", 1)[-1]) & _REPOSITORY_WORDS:
        return True
    value = assigned.get(name)
    if isinstance(value, ir.Call):
        built = ir.dotted_name(value.func) or ""
        return bool(access.name_words(built.rsplit(".", 1)[-1]) & _REPOSITORY_WORDS)
    return False


def _is_id_key(name: str) -> bool:
    """`pk`, `id`, `order_id`, `userId`; not a bearer secret (`session_id`, `token_id`): whoever holds
    a secret is entitled to its object, so looking it up is not IDOR."""
    return bool(_ID_KEY.match(name)) and not access.name_words(name) & _SECRET_WORDS


def _model_first(call: ir.Call) -> bool:
    """`session.get(Order, id)`, `db.get_or_404(Order, id)`, `get_object_or_404(Order, ...)`."""
    return bool(call.args) and _capitalised(call.args[0])


def _model_of(call: ir.Call) -> str | None:
    """The model a lookup reads, from `Order.objects...`, `Order.query...`, `select(Order)...`,
    `session.get(Order, ...)`, or a raw SQL text's table."""
    func = call.func
    attr = func.attr if isinstance(func, ir.Attr) else ir.dotted_name(func) or ""
    attr = _ASYNC_SHORTCUTS.get(attr.rsplit(".", 1)[-1], attr)
    if attr in _EXECUTE and call.args:
        match = _SQL_LOOKUP.search(_sql_text(call.args[0]))
        return match.group(2) if match else None
    if attr in ("get", "get_or_404", "get_one", "get_object_or_404", "get_list_or_404") and _model_first(call):
        return _last(call.args[0])
    node: ir.Expr = func
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Call):
            name = (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1]
            name = _ASYNC_SHORTCUTS.get(name, name)
            if name in _BUILDERS and node.args and _capitalised(node.args[0]):
                return _model_of_arg(node.args[0])
            node = node.func
            continue
        if node.attr in _DJANGO_MANAGERS and isinstance(node.value, (ir.Name, ir.Attr)):
            return _last(node.value)  # Django models need not be capitalised (`authLogin.objects`)
        if node.attr == "query" and _capitalised(node.value):
            return _last(node.value)
        node = node.value
    if attr in ("get_object_or_404", "get_list_or_404") and call.args:
        inner = call.args[0]
        return _model_of(inner) if isinstance(inner, ir.Call) else None
    return None


def _model_of_arg(expr: ir.Expr) -> str | None:
    return _last(expr) if isinstance(expr, (ir.Name, ir.Attr)) else None


def _capitalised(expr: ir.Expr) -> bool:
    name = ir.dotted_name(expr) if isinstance(expr, (ir.Name, ir.Attr)) else None
    last = name.rsplit(".", 1)[-1] if name else ""
    return bool(last) and last[0].isupper() and not last.isupper()


def _last(expr: ir.Expr) -> str:
    return (ir.dotted_name(expr) or "").rsplit(".", 1)[-1]


def _sql_text(expr: ir.Expr) -> str:
    return " ".join(str(n.value) for n in ir.walk_expr(expr) if isinstance(n, ir.Const) and isinstance(n.value, str))


def _compares_id(compare: ir.Compare, client: set[str]) -> bool:
    """`Order.id == order_id` (either way round)."""
    sides = (compare.left, *compare.comparators)
    columns = [s for s in sides if isinstance(s, ir.Attr) and _is_id_key(s.attr) and _capitalised(s.value)]
    return bool(columns) and any(_is_client(s, client) for s in sides if s not in columns)


def _scopes_to_caller(call: ir.Call, client: set[str], principals: set[str]) -> bool:
    """A condition on the caller: `user=request.user`, `Order.owner_id == current_user.id`,
    `owner=<anything the client did not send>`, or a query started from the user object."""
    if access.is_principal(call.func, principals) and isinstance(call.func, ir.Attr):
        return True
    for kw in call.kwargs:
        if kw.name is None:
            continue
        if access.is_principal(kw.value, principals) or any(access.is_request_context(n) for n in ir.walk_expr(kw.value)):
            return True  # `user=request.user`, `space=request.space` (the caller's tenant), `role_id=request.authz.id`
        if any(access.name_words(part) & _OWNER_WORDS for part in kw.name.split("__")) \
                and not _is_client(kw.value, client):
            return True  # `owner=...`, `warehouse__organization=user_org(request)`
    if isinstance(call.func, ir.Attr) and (access.GETTER.match(call.func.attr) or call.func.attr in _GENERIC_GETTERS) \
            and any(_callers(a, principals) for a in call.args):
        return True  # `repo.get_order_for_user(order_id, current_user.id)`, `Bill.query.get(bill_id, g.project)`
    model = _model_of(call)
    for arg in call.args:
        for node in ir.walk_expr(arg):
            if isinstance(node, ir.Compare) and any(_callers(s, principals) for s in (node.left, *node.comparators)) \
                    and not _other_models_column(node, model):
                return True
    executes = isinstance(call.func, ir.Attr) and call.func.attr in _EXECUTE
    return executes and any(access.is_principal(a, principals) for a in call.args)


def _callers(expr: ir.Expr, principals: set[str]) -> bool:
    """The caller, or what the server stored for this request after authenticating it (their
    tenant on the request, a project an auth hook put on `g`)."""
    return access.is_principal(expr, principals) or any(
        access.is_request_context(n) or access.is_request_global(n) for n in ir.walk_expr(expr))


def _other_models_column(compare: ir.Compare, model: str | None) -> bool:
    """`Person.query.filter(Person.id == pid).filter(Project.id == g.project.id)`: the condition is on
    another model's column, which does not restrict the looked-up rows without a join."""
    columns = [s for s in (compare.left, *compare.comparators) if isinstance(s, ir.Attr) and _capitalised(s.value)]
    return bool(model) and bool(columns) and all(_last(c.value) != model for c in columns)


def _only_referenced_by_callers_write(stmt: ir.Stmt, later: list[ir.Stmt], principals: set[str]) -> bool:
    """The fetched object is only named as the target of a write keyed by the caller:
    `Follow.objects.create(follower=request.user, followed=author)`, `request.user.saved.add(recipe)`.
    The row written is the caller's; the object itself is neither handed out nor changed, so whose
    it is does not matter (following, blocking, bookmarking a public target, voting on an answer).
    Sending the client to the object's own URL (`redirect(answer.get_absolute_url())`) hands out
    nothing it did not name."""
    if not isinstance(stmt, ir.Assign) or not principals and not _mentions_principal_stmts(later):
        return False
    names = {t.id for t in stmt.targets if isinstance(t, ir.Name)}
    if not names or len(names) != len(stmt.targets):
        return False
    uses = [other for other in later if any(access.reads(e, names) for e in ir.stmt_exprs(other))]
    if not uses:
        return False
    addressed = through_receiver = False
    for other in uses:
        if isinstance(other, ir.If) and not any(access.reads(e, names) for e in ir.stmt_exprs(other) if e is not other.test):
            continue  # only tested
        if _address_only(other, names):
            addressed = True  # `return redirect(answer.get_absolute_url())`: where the object the client named lives
            continue
        value = other.value if isinstance(other, (ir.ExprStmt, ir.Assign)) else None
        value = value.value if isinstance(value, ir.Await) else value
        if not isinstance(value, ir.Call) or access.reads(value.func, names):
            return False  # returned, rendered, or a method of the object itself
        arguments = [*value.args, *(kw.value for kw in value.kwargs)]
        if not any(_callers(a, principals) for a in arguments):
            if not access.is_principal(value.func, principals):
                return False
            through_receiver = True
        if isinstance(other, ir.Assign) and any(access.reads(t, names) for t in other.targets):
            return False
    # the address alone is no use only beside a row written with the caller named in it
    # (`AnswerVote(answer=answer, creator=request.user)`); a service bound to the caller and handed the
    # object (`FileService(request.user).finish(file=file)`) may change the object itself
    return not (addressed and through_receiver)


# what names an object rather than discloses it: the key the client sent, the URL built from it
_ADDRESS = frozenset({"pk", "id", "get_absolute_url"})


def _address_only(stmt: ir.Stmt, names: set[str]) -> bool:
    """`stmt` hands back a response and every read of the object in it is of its key or its URL
    (`return redirect(answer.get_absolute_url())`, `answer.pk`): what the client named to reach it, so
    nothing of the object is handed out. Any other statement keyed by the object's id
    (`Answer.objects.filter(pk=answer.pk).delete()`) acts on the object itself."""
    if not isinstance(stmt, ir.Return):
        return False
    addressed: set[int] = set()
    bare: list[ir.Name] = []
    for expr in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Attr) and node.attr in _ADDRESS and isinstance(node.value, ir.Name) \
                    and node.value.id in names:
                addressed.add(id(node.value))
            elif isinstance(node, ir.Name) and node.id in names:
                bare.append(node)
    return bool(addressed) and all(id(node) in addressed for node in bare)


def _mentions_principal_stmts(stmts: list[ir.Stmt]) -> bool:
    return any(access.is_principal(e, frozenset()) for s in stmts for e in ir.stmt_exprs(s))


def _has_object_check(function: ir.Function, principals: set[str]) -> bool:
    """A permission call, or a comparison between the caller and something else, anywhere in the
    function (`if order.user_id != current_user.id: abort(404)`)."""
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _PERMISSION_CALL.match(_last(node.func) or ""):
                    return True
                if isinstance(node, ir.Compare) and _compares_principal(node, principals):
                    return True
    return False


def _permission_checked_later(stmt: ir.Stmt, later: list[ir.Stmt], principals: set[str] = frozenset(),
                              module: ir.Module | None = None, client: set[str] = frozenset()) -> bool:
    """The fetched object is handed to a permission check that turns the caller away:
    `if not can_edit(post): abort(403)`, `if not Permission(IsModeratorIn(forum=topic.forum)):
    flash(...); return redirect(...)`. The check is a call named for a permission or role
    (models/vocabulary/access.yaml `role_check_words`) whose result, negated, leads to an exit.
    Or the object judges the caller itself before anything else uses it: a method of the object,
    given the caller, whose result is dropped (so it can only act by raising) and whose name says
    it guards (`group.raise_not_editable(request.user)`, `doc.ensure_visible_to(user)`)."""
    if not isinstance(stmt, ir.Assign):
        return False
    names = {n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
    if not names:
        return False
    role_words = access_vocabulary().role_check_words
    names = set(names)
    for other in later:
        if _object_judges_caller(other, names, principals, role_words):
            return True
        if not isinstance(other, ir.If) and any(_handed_with_caller(n, names, principals) for e in ir.stmt_exprs(other)
                                                for n in ir.walk_expr(e) if isinstance(n, ir.Call)):
            return True  # `ensure_same_company(vehicle, principal)` before anything else uses it
        if module is not None and isinstance(other, ir.ExprStmt) and _request_checker_call(other, names, module):
            return True  # `bookmark_read(request, asset.bookmark_id)`: a helper here compares the request's user
        if _reached_row(other, names):
            # `project = Project.objects.get(pk=statement.project_id)`: a row reached from the fetched one
            names |= {n.id for t in other.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}  # type: ignore[union-attr]
            continue
        if _narrows_lookup_only(other, names):
            continue  # `survey = get_object_or_404(Survey.objects.filter(engagement=engagement), id=sid)`
        if any(access.reads(e, names) for e in ir.stmt_exprs(other)) and not isinstance(other, ir.If):
            break  # used before any such guard
    for other in later:
        if not isinstance(other, ir.If) or not _exits(other.body):
            continue
        for test in (other.test.values if isinstance(other.test, ir.BoolOp) else (other.test,)):
            if _outside_members(test, names, client):
                return True
            if not (isinstance(test, ir.Unary) and test.op == "not"):
                continue
            calls = [n for n in ir.walk_expr(test.operand) if isinstance(n, ir.Call)]
            if any(access.reads(arg, names) for call in calls for arg in (*call.args, *(k.value for k in call.kwargs))) \
                    and any(access.name_words(_last(call.func) or "") & role_words for call in calls):
                return True
            denied = exits_denied(other.body)
            if any(_asks_object(call, names, principals, role_words, denied) for call in calls):
                return True
    return False


def _reached_row(stmt: ir.Stmt, names: set[str]) -> bool:
    """`project = get_project(flag.project_id)`: a name bound to what a call keyed by an id read off the
    fetched row returns (not a method of the row: `org.add_member(user)` uses it), before the row is used
    for anything else; a check handed that and the caller judges the row."""
    if not isinstance(stmt, ir.Assign) or stmt.value is None or not all(isinstance(t, ir.Name) for t in stmt.targets):
        return False
    value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if not isinstance(value, ir.Call) or access.reads(value.func, names):
        return False  # `org.add_member(user)`: the object itself is used, not a row looked up by its key
    return any(isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id in names
               and _is_id_key(node.attr) for arg in (*value.args, *(k.value for k in value.kwargs))
               for node in ir.walk_expr(arg))


def _narrows_lookup_only(stmt: ir.Stmt, names: set[str]) -> bool:
    """`survey = get_object_or_404(Answered_Survey.objects.filter(engagement=engagement), id=sid)`: the
    fetched row is only the parent another lookup is narrowed to (a keyword filter's value), which hands
    nothing of it out; a check of the row after it still comes before any use."""
    if not isinstance(stmt, ir.Assign) or stmt.value is None or not all(isinstance(t, ir.Name) for t in stmt.targets):
        return False
    value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if not isinstance(value, ir.Call) or not access.reads(value, names):
        return False
    calls = [n for n in ir.walk_expr(value) if isinstance(n, ir.Call)]
    if not any(_model_of(c) is not None for c in calls):
        return False
    filters = {id(kw.value) for c in calls for kw in c.kwargs
               if kw.name and isinstance(kw.value, ir.Name) and kw.value.id in names}
    return all(id(n) in filters for n in ir.walk_expr(value) if isinstance(n, ir.Name) and n.id in names) and not any(
        isinstance(c.func, ir.Attr) and access.reads(c.func.value, names) for c in calls)


def _outside_members(test: ir.Expr, names: set[str], client: set[str]) -> bool:
    """`if publisher not in self.project.publishers: return ...`: the fetched row is refused unless it is
    among the rows of something the server holds (the view's project, the caller's team), so the
    client's id could only pick a row of that parent. A collection the client sent decides nothing."""
    if not (isinstance(test, ir.Compare) and test.ops == ("not in",) and isinstance(test.left, ir.Name)
            and test.left.id in names):
        return False
    members = test.comparators[0]
    return not isinstance(members, (ir.Seq, ir.Const, ir.DictExpr)) and not access.reads(members, names) \
        and not access.reads(members, client, access.is_request_data) and not _whole_table(members)


# Query methods that order, shape or load a queryset without narrowing its rows.
_UNNARROWING = frozenset({"all", "only", "defer", "order_by", "select_related", "prefetch_related", "values",
                          "values_list", "distinct", "using", "options"})


def _whole_table(members: ir.Expr) -> bool:
    """`Model.objects.all()`, `Model.query.all()`, `session.query(Model).all()`: every row of the table,
    so a fetched row is always among them and the test refuses nothing."""
    node = members
    while isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _UNNARROWING:
        node = node.func.value
    if isinstance(node, ir.Attr) and node.attr in ("objects", "query"):
        return isinstance(node.value, ir.Name)  # the model's own manager, not a parent's related rows
    return isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "query" \
        and len(node.args) == 1 and not node.kwargs


def _request_checker_call(stmt: ir.ExprStmt, names: set[str], module: ir.Module) -> bool:
    """`bookmark_read(request, asset.bookmark_id)` as a statement, where `bookmark_read` is a
    function of this module that compares `request.user` with something and raises: handed the
    request (which carries the caller) and the fetched object, its only way to act on the result is
    to refuse, so it is the object check, whatever it is called."""
    call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if not isinstance(call, ir.Call) or not isinstance(call.func, ir.Name) or call.kwargs \
            or not any(access.reads(a, names) for a in call.args):
        return False
    callee = next((f for f in module.functions if f.qualname == call.func.id), None)
    if callee is None or len(callee.params) < len(call.args):
        return False
    carriers = {callee.params[i].name for i, a in enumerate(call.args)
                if isinstance(a, ir.Name) and a.id == "request"}
    return bool(carriers) and _compares_request_user(callee, carriers) and _raises(callee)


def _compares_request_user(function: ir.Function, carriers: set[str]) -> bool:
    def of_user(expr: ir.Expr) -> bool:
        dotted = ir.dotted_name(expr) or ""
        return any(dotted == f"{c}.user" or dotted.startswith(f"{c}.user.") for c in carriers)
    return any(isinstance(node, ir.Compare) and any(of_user(side) for side in (node.left, *node.comparators))
               for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _raises(function: ir.Function) -> bool:
    return any(isinstance(stmt, ir.Raise) or (isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
                                              and _last(stmt.value.func) == "abort")
               for stmt in ir.walk_stmts(function.body))


def _key_cleared_before(lookup: ir.Call, client: set[str], earlier: list[ir.Stmt], principals: set[str]) -> bool:
    """`if not can_rollback(request.user, workflow_id): raise PermissionDenied` before
    `SqlWorkflow.objects.get(id=workflow_id)`: a check handed both the caller and the id, whose
    refusal ends the request, has already decided that this caller may use this id. What the
    project calls it does not matter: it is told who asks and for what, and its "no" is final."""
    keys = {n.id for n in ir.walk_expr(lookup) if isinstance(n, ir.Name) and n.id in client}
    if not keys:
        return False
    for stmt in earlier:
        if not isinstance(stmt, ir.If) or not _exits(stmt.body):
            continue
        for test in (stmt.test.values if isinstance(stmt.test, ir.BoolOp) else (stmt.test,)):
            if not (isinstance(test, ir.Unary) and test.op == "not"):
                continue
            for call in (n for n in ir.walk_expr(test.operand) if isinstance(n, ir.Call)):
                args = (*call.args, *(kw.value for kw in call.kwargs))
                if any(access.is_principal(a, principals) for a in args) and \
                        any(access.reads(a, keys) for a in args):
                    return True
    return False


def _branch_tests(function: ir.Function) -> dict[int, list[ir.Expr]]:
    """id of each statement -> the tests of the `if`s whose body it is in."""
    found: dict[int, list[ir.Expr]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If):
            for inner in ir.walk_stmts(stmt.body):
                found.setdefault(id(inner), []).append(stmt.test)
    return found


def _caller_holds_key(test: ir.Expr, lookup: ir.Call, client: set[str], steered: set[str], principals: set[str]) -> bool:
    """`if ProjectMember.objects.filter(member=request.user, project_id=pk, role=ADMIN).exists(): ...
    Project.objects.get(pk=pk)`: the branch runs only when a query scoped to the caller found them
    holding the id the lookup uses (a membership, a grant): that caller may use it. With `or`, every
    way in must say so (`WorkspaceMember...(member=request.user, workspace__slug=slug)` for a lookup
    also narrowed by `slug`); with `and`, one is enough."""
    keys = {n.id for n in ir.walk_expr(lookup) if isinstance(n, ir.Name) and n.id in client}
    if not keys:
        return False
    if isinstance(test, ir.BoolOp):
        judged = [_caller_holds_key(value, lookup, client, steered, principals) for value in test.values]
        return all(judged) if test.op == "or" else any(judged)
    return any(isinstance(node, ir.Call) and _scopes_to_caller(node, steered, principals)
               and bool({n.id for n in ir.walk_expr(node) if isinstance(n, ir.Name)} & keys)
               for node in ir.walk_expr(test))


def _owner_helper_before(lookup: ir.Call, client: set[str], earlier: list[ir.Stmt], module: ir.Module,
                         function: ir.Function, principals: set[str]) -> bool:
    """`ok, content = self.validate_request_user(pk, request)`, then `if not ok: return content`,
    before `User.objects.get(pk=pk)`: a function of this module (or a method of the handler's class)
    handed the id and the request (or the caller), whose body turns the caller away (401/403, a
    denial) in a branch that compares the request's user, has decided that this caller may use this
    id; the handler goes on only when it did not refuse (its result tested, the refusing branch
    leaving; or, called as a statement, it raises). Whatever the helper is called."""
    keys = {n.id for n in ir.walk_expr(lookup) if isinstance(n, ir.Name) and n.id in client}
    if not keys:
        return False
    for index, stmt in enumerate(earlier):
        value = stmt.value if isinstance(stmt, (ir.Assign, ir.ExprStmt)) else None
        call = value.value if isinstance(value, ir.Await) else value
        if not isinstance(call, ir.Call) or not any(access.reads(a, keys) for a in (*call.args, *(k.value for k in call.kwargs))):
            continue
        callee, carriers = _caller_carrying_helper(call, module, function, principals)
        if callee is None or not _refuses_other_callers(callee, carriers):
            continue
        if isinstance(stmt, ir.ExprStmt):
            if _raises(callee):
                return True
            continue
        results = {n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
        if any(_leaves_unless(other, results) for other in earlier[index + 1:]):
            return True
    return False


def _caller_carrying_helper(call: ir.Call, module: ir.Module, function: ir.Function,
                            principals: set[str]) -> tuple[ir.Function | None, dict[str, bool]]:
    """The project function `call` runs (a module function by name, or `self.method` of the
    handler's class) and its parameters that receive the request (True: the caller is its `.user`)
    or the caller itself (False)."""
    raw = ir.dotted_name(call.func) or ""
    qualname = f"{function.class_name}.{raw[5:]}" if raw.startswith("self.") and function.class_name else raw
    callee = next((f for f in module.functions if f.qualname == qualname), None)
    if callee is None or callee is function:
        return None, {}
    params = [p.name for p in callee.params]
    if raw.startswith("self.") and params[:1] in (["self"], ["cls"]):
        params = params[1:]
    handed = [(params[i], a) for i, a in enumerate(call.args) if i < len(params)]
    handed += [(k.name, k.value) for k in call.kwargs if k.name in params]
    carriers = {name: True for name, arg in handed if isinstance(arg, ir.Name) and arg.id == "request"}
    carriers.update({name: False for name, arg in handed
                     if name not in carriers and access.is_principal(arg, principals)})
    return callee, carriers


def _refuses_other_callers(callee: ir.Function, carriers: dict[str, bool]) -> bool:
    """A branch of `callee` that compares the caller (a carrier's `.user`, or a carrier that is the
    caller) with something and turns the request away (401/403, a denial exception)."""
    def caller(expr: ir.Expr) -> bool:
        dotted = ir.dotted_name(expr) or ""
        return any(dotted == (f"{c}.user" if via_request else c) or dotted.startswith(f"{c}.user." if via_request else f"{c}.")
                   for c, via_request in carriers.items())
    for stmt in ir.walk_stmts(callee.body):
        if not isinstance(stmt, ir.If) or not exits_denied(stmt.body):
            continue
        if any(isinstance(node, ir.Compare) and any(caller(side) for side in (node.left, *node.comparators))
               for node in ir.walk_expr(stmt.test)):
            return True
    return False


def _leaves_unless(stmt: ir.Stmt, results: set[str]) -> bool:
    """`if not ok: return content`, `if ok: ... else: return content`, `if refusal is not None:
    return refusal`: the handler leaves unless the helper's answer was yes. A bare flag says which
    way by its branches; any other test of the answer, by what the leaving branch does (it hands
    back the helper's refusal, or refuses itself)."""
    if not isinstance(stmt, ir.If) or not access.reads(stmt.test, results):
        return False
    test = stmt.test
    if isinstance(test, ir.Unary) and test.op == "not" and isinstance(test.operand, ir.Name):
        return _exits(stmt.body)
    if isinstance(test, ir.Name):
        return bool(stmt.orelse) and _exits(stmt.orelse)
    return any(branch and _exits(branch) and (exits_denied(branch) or any(
        isinstance(s, ir.Return) and s.value is not None and access.reads(s.value, results) for s in branch))
        for branch in (stmt.body, stmt.orelse))


_ACCESS_ADJECTIVES = frozenset({"visible", "viewable", "editable", "deletable", "readable", "writable", "accessible",
                                "manageable", "owned", "shared"})


def _asks_object(call: ir.Call, names: set[str], principals: set[str], role_words: frozenset[str],
                 denied: bool = False) -> bool:
    """`if not filter_obj.editable_by(request.user): return 403`, `if not doc.is_visible_to(user): abort(404)`:
    a method of the fetched object, given the caller, named for an access decision; turning the
    caller away when it says no is the object check, whatever the project calls it. When the
    branch refuses with a denial (`raise PermissionDenied`, 403), the method's name need not say
    so: `if not evaluation.is_user_editor_or_delegate(request.user): raise PermissionDenied`."""
    if not isinstance(call.func, ir.Attr) or not access.reads(call.func.value, names):
        return False
    if not any(access.is_principal(a, principals) for a in (*call.args, *(kw.value for kw in call.kwargs))):
        return False
    if denied:
        return True
    words = access.name_words(call.func.attr)
    return bool(words & (role_words | _ACCESS_ADJECTIVES) or words & {"can", "may"})


_GUARD_WORDS = frozenset({"visible", "viewable", "editable", "deletable", "readable", "writable", "accessible",
                          "raise", "ensure", "require", "assert", "verify", "check", "guard", "forbid", "deny"})


def _object_judges_caller(stmt: ir.Stmt, names: set[str], principals: set[str], role_words: frozenset[str]) -> bool:
    if not isinstance(stmt, ir.ExprStmt):
        return False
    call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if not isinstance(call, ir.Call) or not isinstance(call.func, ir.Attr) or not access.reads(call.func.value, names):
        return False
    if not any(access.is_principal(a, principals) for a in (*call.args, *(kw.value for kw in call.kwargs))):
        return False
    words = access.name_words(call.func.attr)
    return bool(words & _GUARD_WORDS and (words & role_words or words & {"visible", "viewable", "editable",
                                                                          "deletable", "readable", "writable",
                                                                          "accessible"}))


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch leaves the handler: it returns, raises or aborts."""
    for stmt in body:
        if isinstance(stmt, (ir.Return, ir.Raise)):
            return True
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) and _last(stmt.value.func) == "abort":
            return True
    return False


def _compares_principal(compare: ir.Compare, principals: set[str]) -> bool:
    sides = (compare.left, *compare.comparators)
    mine = [s for s in sides if access.is_principal(s, principals)]
    others = [s for s in sides if s not in mine and not isinstance(s, ir.Const)]
    return bool(mine) and bool(others)


def _result_used(stmt: ir.Stmt, later: list[ir.Stmt]) -> bool:
    """Is the fetched object handed out or changed: returned, rendered, saved, deleted?"""
    if not isinstance(stmt, ir.Assign):
        return True  # `return Order.query.get(id)`, `Order.objects.filter(pk=pk).delete()`
    names = {n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
    if not names or any(not isinstance(t, ir.Name) for t in stmt.targets):
        return True  # `context["order"] = ...`
    for other in later:
        if isinstance(other, (ir.If, ir.While)):
            continue
        if any(access.reads(e, names) for e in ir.stmt_exprs(other)):
            return True
    return False


def _worth_reporting(model: str, handler: HandlerInfo, function: ir.Function, principals: set[str]) -> bool:
    words = access.name_words(model)
    if words & _PUBLIC_WORDS:
        return False
    if handler.framework == "graphql":
        # Permissions usually sit on the schema field, out of the resolver's sight: report only
        # objects whose name says a user owns them.
        return bool(words & _PRIVATE_WORDS)
    # objects of no particular user (devices, sites, config revisions in an admin tool) are
    # not IDOR material: the model's name must say a user owns it, or the handler must deal
    # with the caller's identity (so per-user data is at stake)
    per_user = bool(principals) or _mentions_principal(function)
    return bool(words & _PRIVATE_WORDS) or per_user


def _mentions_principal(function: ir.Function) -> bool:
    return _mentions_principal_stmts(list(ir.walk_stmts(function.body)))


def _action(names: set[str], later: list[ir.Stmt], stmt_text: str) -> str:
    text = stmt_text
    for other in later:
        if any(access.reads(e, names) for e in ir.stmt_exprs(other)):
            text += " " + " ".join(_last(n.func) for e in ir.stmt_exprs(other) for n in ir.walk_expr(e)
                                   if isinstance(n, ir.Call))
            if isinstance(other, ir.Assign) and any(isinstance(t, ir.Attr) for t in other.targets):
                text += " save"
    if re.search(r"\bdelete\b", text):
        return "delete"
    if re.search(r"\b(save|update|commit|add|put|patch|setattr)\b", text):
        return "change"
    return "read"


def _finding(module: ir.Module, function: ir.Function, handler: HandlerInfo, found: Lookup,
             later: list[ir.Stmt]) -> Finding:
    line = found.call.line
    names = {function.name}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.line == line:
            names = {n.id for t in stmt.targets for n in ir.walk_expr(t) if isinstance(n, ir.Name)}
    action = _action(names, later, module.line_text(line))
    who = "any signed-in user" if handler.auth != "none" else "anyone"
    return make_finding(
        "broken-object-authorization", Location(module.path, line, found.call.end_line or line),
        f"Probable IDOR: {found.model} looked up by client-supplied `{found.key}` with no ownership check",
        f"`{function.name}` fetches a {found.model} by the id the client sent and never ties it to the caller: "
        f"{who} can {action} another customer's {found.model} (e.g. number 1043) just by changing "
        f"`{found.key}` in the request. Ids are sequential or leak in URLs, so this is a data breach waiting "
        "to happen (OWASP API1: broken object level authorization).",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line), f"handler `{function.name}` ({handler.framework})",
                            module.line_text(function.line)),
                  TraceStep(Location(module.path, line), f"{found.model} fetched by `{found.key}` with no condition "
                            "on the caller, and no permission check follows", module.line_text(line))),
        fix=_fix(handler.framework, found),
        rule=RULE.id, key=f"{found.model}:{found.key}",
    )


def _fix(framework: str, found: Lookup) -> Fix:
    model, key = found.model, found.key
    if isinstance(found.call.func, ir.Attr) and found.call.func.attr in _EXECUTE:
        code = f'cursor.execute("SELECT ... FROM {model} WHERE id = %s AND user_id = %s", ({key}, current_user_id))'
    elif framework == "django":
        code = f"obj = get_object_or_404({model}, pk={key}, user=request.user)  # or request.user.<related>.get(...)"
    elif framework == "flask":
        code = f"obj = {model}.query.filter_by(id={key}, user_id=current_user.id).first_or_404()"
    else:
        code = (f"obj = session.exec(select({model}).where({model}.id == {key}, "
                f"{model}.owner_id == current_user.id)).first()\nif obj is None:\n"
                '    raise HTTPException(status_code=404, detail="Not found")')
    return Fix("Scope the lookup to the caller (owner/tenant condition) or check ownership after fetching; "
               "answer 404 for objects the caller does not own.", code, "python")


def _spelling(expr: ir.Expr) -> str:
    """How the client id is written: `order_id`, `pk`, or the key read from the request (`id`)."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.args:
        return _spelling(expr.args[0])  # int(order_id)
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get" \
                and node.args and isinstance(node.args[0], ir.Const):
            return str(node.args[0].value)
        if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const):
            return str(node.index.value)
        name = ir.dotted_name(node)
        if name is not None and not _capitalised(node):
            return name
    return "id"


RULE = Rule("py-broken-object-authorization", frozenset({"broken-object-authorization"}), "python", no_findings,
            collect=collect, combine=combine)
