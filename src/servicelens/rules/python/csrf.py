"""CSRF: a state-changing endpoint authenticated by the session cookie, with nothing stopping
another site from sending the request.

## What it finds
- Django views marked `@csrf_exempt` (or a class with `@method_decorator(csrf_exempt, ...)`)
  that change state (read the submitted form or body, save, delete ...) for the signed-in
  user (`@login_required` and friends, or `request.user`), also when a URLconf wraps the view
  instead (`path("email/", csrf_exempt(views.change_email))`, `csrf_exempt(AddressView.as_view())`);
- a REST framework `SessionAuthentication` subclass whose `enforce_csrf` does nothing (the
  "CSRF-exempt session authentication" idiom): every view using it trusts the cookie alone. It is
  reported where it takes effect, at the first view whose `authentication_classes` names it and that
  accepts a state-changing request (a POST/PUT/PATCH/DELETE method, an `@action` allowing one, a
  writing mixin), with the other such views and the class as evidence; at the class itself when no
  view names it or a settings default names it by its dotted path; not at all when only read-only
  views name it;
- a Django `MIDDLEWARE` with `SessionMiddleware`/`AuthenticationMiddleware` and without
  `CsrfViewMiddleware`, when the project has such session views;
- Flask applications that log users in with a cookie session (`flask_login.login_user`,
  `session["user_id"] = ...`, or any session key set by a function that checks a password) and accept POST/PUT/PATCH/DELETE form submissions
  (`request.form`, `request.files`, `request.values`, or a bodiless POST that writes) from
  signed-in users, when nothing in the
  project installs CSRF protection (`CSRFProtect`, `SeaSurf`, `csrf.protect()`), sets the
  session cookie's SameSite to `Lax`/`Strict`, validates a Flask-WTF form (`validate_on_submit`
  checks its token) or checks the Origin/Referer header. All such endpoints of a project are
  one finding, at the first, listing the others.

Views that do not rely on the cookie are left alone: Django REST framework views (its
`SessionAuthentication` enforces CSRF itself), webhooks and callbacks, and views that read
headers or verify a signature or token themselves. JSON endpoints (`request.get_json()`) are
not reported: a cross-site page cannot send `application/json` without a CORS preflight.

## Why it matters
The browser attaches the session cookie to every request to your domain, including a form a
malicious page submits in the background. A signed-in user who opens that page changes their
email or password, adds the attacker's payout account or deletes data without noticing: one
click to account takeover.

## Example
```python
@csrf_exempt
@login_required
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return redirect("profile")
```
Use instead:
```python
@login_required
@require_POST
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return redirect("profile")
```

## Fix
Keep `CsrfViewMiddleware` on and drop `@csrf_exempt` from views the browser calls with the
session (render `{% csrf_token %}` in the form, send the `X-CSRFToken` header from scripts);
in Flask install `CSRFProtect(app)` and set `SESSION_COOKIE_SAMESITE="Lax"`. Exempt only
endpoints that authenticate without the cookie.

## Known problems
Medium confidence. Protection outside the code (a proxy that checks Origin, a SameSite
default set by the deployment) is not seen, and neither is a cookie session established by a
library other than Flask-Login or Django's auth. An exempt Django view that checks a token
in a helper may be reported. A view exempted in a URLconf is matched by its function or class
name. Vocabulary: models/vocabulary/csrf.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator, Mapping, Sequence


from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.needs import Needs, needs
from servicelens.config.settings import Settings
from servicelens.fixcode.routes import Handler, def_header, drop_decorators, own_decorators, protect_flask_app
from servicelens.fixcode.settings import list_with_entry
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.base import Rule, all_bodies, contribution
from servicelens.rules.python import _access as access
from servicelens.rules.python.rel_shared import file_tokens
from servicelens.rules.python._common import AppSite, call_name, flask_app_site, may_call, is_dev_path, is_settings_module, is_test_path, \
    module_constants, words
from servicelens.taint.scope import HandlerInfo, ModuleScope


@dataclass(frozen=True, slots=True)
class CsrfVocabulary:
    exempt_decorators: frozenset[str]
    session_authentications: frozenset[str]
    csrf_enforcers: frozenset[str]
    session_logins: frozenset[str]
    protections: frozenset[str]
    disabling_settings: frozenset[str]
    form_checks: frozenset[str]
    session_middleware: frozenset[str]
    csrf_middleware: frozenset[str]
    machine_words: frozenset[str]
    self_auth_words: frozenset[str]
    form_attributes: frozenset[str]
    writes: frozenset[str]
    write_words: frozenset[str]


@lru_cache(maxsize=1)
def csrf_vocabulary() -> CsrfVocabulary:
    return CsrfVocabulary(**{key: frozenset(value) for key, value in vocabulary_file("csrf.yaml").items()})


@dataclass(frozen=True, slots=True)
class _Needs:
    """The names each file-wide search below can fire on (dispatch by name, analysis.needs)."""

    url_exempt: Needs  # `csrf_exempt(view)` in a URLconf
    disabled: Needs  # `WTF_CSRF_ENABLED = False`, `config["WTF_CSRF_ENABLED"] = False`, `update(WTF_CSRF_ENABLED=False)`
    protection: Needs  # CSRFProtect(app), csrf.protect(), SameSite settings, a session token compared


_SAMESITE_SETTINGS = ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE")


@lru_cache(maxsize=1)
def _needs() -> _Needs:
    vocab = csrf_vocabulary()
    settings = vocab.disabling_settings
    return _Needs(
        url_exempt=needs(calls={name.rsplit(".", 1)[-1] for name in vocab.exempt_decorators}),
        disabled=needs(names=settings, consts=settings, keywords=settings),
        protection=needs(calls=vocab.protections | {"protect", "compare_digest"}, keywords=_SAMESITE_SETTINGS,
                         names={*_SAMESITE_SETTINGS, "session"}, consts=_SAMESITE_SETTINGS, attrs={"session"}))


@dataclass(frozen=True, slots=True)
class Site:
    path: str
    line: int
    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What one file says about CSRF, for the project-wide decision."""

    flask_login: bool = False  # logs users in with a cookie session
    flask_protected: str = ""  # evidence of app-wide protection, "" if none
    flask_disabled: tuple[Site, ...] = ()  # `WTF_CSRF_ENABLED = False` outside test/dev configuration
    flask_forms: tuple[Site, ...] = ()  # session form handlers without their own check
    middleware_line: int = 0  # a MIDDLEWARE without CsrfViewMiddleware (0: none here)
    middleware_protected: bool = False  # a MIDDLEWARE that has it
    django_views: tuple[Site, ...] = ()  # session views that change state (not DRF)
    # views a URLconf wraps in `csrf_exempt(...)` (`csrf_exempt(views.change_email)`,
    # `csrf_exempt(AddressView.as_view())`): their function or class names
    url_exempted: tuple[str, ...] = ()
    # for the fixes: the MIDDLEWARE setting as written, and where the Flask app is created
    middleware_name: str = ""
    middleware_entries: tuple[str, ...] = ()
    flask_app: AppSite | None = None
    # REST framework session authentications whose CSRF check does nothing: (qualified class, finding at it)
    enforcers: tuple[tuple[str, Finding], ...] = ()
    # view classes that name their authentication: (qualified names listed, the assignment, whether the
    # view accepts a state-changing request)
    auth_uses: tuple[tuple[tuple[str, ...], Site, bool], ...] = ()
    # dotted paths written as text (`"app.auth.SpaSessionAuthentication"` in DEFAULT_AUTHENTICATION_CLASSES)
    dotted_texts: tuple[str, ...] = ()


_ROUTE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE", "*"})
_SAMESITE = re.compile(r"(?i)^(lax|strict)$")
_DRF_BASES = re.compile(r"(APIView|ViewSet|GenericAPIView)$|^(ListAPIView|CreateAPIView|UpdateAPIView)")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    """Per file: Django views that switch the CSRF check off."""
    if is_test_path(module.path):
        return
    vocab = csrf_vocabulary()
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None or handler.framework != "django":
            continue
        exempt = _exempt_decorator(module, function, scope, vocab)
        if exempt is None or not _session_state_change(module, function, handler, vocab, file_index(module, scope)):
            continue
        yield _exempt_finding(module, function, exempt)


def _disabled_enforcers(module: ir.Module, vocab: CsrfVocabulary) -> Iterator[ir.Function]:
    """`class CsrfExemptSessionAuthentication(SessionAuthentication): def enforce_csrf(self, request):
    return`: DRF's session authentication with its CSRF check overridden by one that does nothing.
    Every view authenticated by it accepts cross-site requests carrying the user's cookie."""
    for function in module.functions:
        if function.name not in vocab.csrf_enforcers or not function.class_name:
            continue
        cls = access.enclosing_class(module, function)
        if cls is None or not any(ir.last_name(b) in vocab.session_authentications for b in cls.bases):
            continue
        if all(_inert(stmt) for stmt in function.body) and not _session_from_header(module, cls):
            yield function


def _session_from_header(module: ir.Module, cls: ir.ClassDef) -> bool:
    """The class's own `authenticate` takes the session key from a request header
    (`Authorization: Session <key>`), not the cookie: a browser never sends it by itself, so
    there is no ambient credential for CSRF to abuse."""
    method = next((f for f in module.functions if f.qualname == f"{cls.qualname}.authenticate"), None)
    if method is None:
        return False
    return any(re.match(r"(self\.)?request\.(headers|META)\b", ir.dotted_name(n) or "")
               for s in ir.walk_stmts(method.body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _inert(stmt: ir.Stmt) -> bool:
    """`pass`, a docstring, `return` or `return None`: a statement that checks nothing."""
    if isinstance(stmt, ir.Return):
        return stmt.value is None or (isinstance(stmt.value, ir.Const) and stmt.value.value is None)
    if isinstance(stmt, ir.ExprStmt):
        return isinstance(stmt.value, ir.Const)
    return isinstance(stmt, ir.Jump) and stmt.kind == "pass"


def _enforcer_finding(module: ir.Module, function: ir.Function) -> Finding:
    cls = function.class_name or ""
    return make_finding(
        "csrf", Location(module.path, function.line, function.line),
        f"`{cls}` switches off REST framework's CSRF check for session-authenticated requests",
        f"`{cls}.{function.name}` overrides SessionAuthentication's CSRF check with one that does nothing. Every "
        "view authenticated by it acts on the session cookie alone, so any web page the user visits can send "
        "state-changing requests in their name.",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(module.path, function.line), "the CSRF check is overridden by an empty method",
                            module.line_text(function.line)),),
        fix=Fix("Delete the override and send the CSRF token (`X-CSRFToken` header) from the browser client; "
                "for clients that are not browsers, authenticate with a token (TokenAuthentication, JWT) instead "
                "of the session.", f"def {function.name}(self, request):\n    return super().{function.name}(request)  # or delete "
                "this override", "python"),
        rule=RULE.id, key=f"enforce-csrf:{cls}",
    )


_NOTHING = Facts()  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> Facts:
    if is_test_path(module.path):
        return Facts()
    vocab = csrf_vocabulary()
    middleware_line, middleware_protected = _middleware(module, vocab)
    name, entries = _middleware_entries(module) if middleware_line else ("", ())
    return Facts(
        flask_login=_flask_login(module, scope, vocab),
        flask_protected=_flask_protection(module, scope, vocab),
        flask_disabled=tuple(_flask_disabled(module, vocab, file_index(module, scope))),
        flask_forms=tuple(_flask_forms(module, scope, vocab)),
        middleware_line=middleware_line, middleware_protected=middleware_protected,
        django_views=tuple(_django_session_views(module, scope, vocab)),
        url_exempted=tuple(sorted(set(_url_exempted(module, scope, vocab)))),
        middleware_name=name, middleware_entries=entries, flask_app=flask_app_site(module, scope),
        enforcers=tuple((f"{module.module_name}.{function.class_name}", _enforcer_finding(module, function))
                        for function in _disabled_enforcers(module, vocab)),
        auth_uses=tuple(_authentication_uses(module, scope)),
        dotted_texts=tuple(sorted({n.value for s in module.body for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)
                                   if isinstance(n, ir.Const) and isinstance(n.value, str)
                                   and re.fullmatch(r"\w+(\.\w+)+", n.value)})) if is_settings_module(module) else (),
    )


_UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete", "create", "update", "partial_update", "destroy"})
_WRITING_BASES = re.compile(r"(Create|Update|Destroy|ModelViewSet$)")


def _authentication_uses(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[tuple[str, ...], Site, bool]]:
    """`authentication_classes = [SpaSessionAuthentication]` on a view class: where a view chooses how
    its callers are authenticated, and whether it accepts a state-changing request (a POST/PUT/PATCH/
    DELETE method, an `@action` allowing one, a writing mixin)."""
    for cls in module.classes:
        for stmt in cls.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None \
                    or not any(ir.dotted_name(t) == "authentication_classes" for t in stmt.targets):
                continue
            named = tuple(scope.qualify(ir.dotted_name(n) or "", None, set()) or ir.dotted_name(n) or ""
                          for n in ir.walk_expr(stmt.value) if isinstance(n, (ir.Name, ir.Attr)))
            if named:
                yield named, Site(module.path, stmt.line, cls.qualname, module.line_text(stmt.line)), \
                    _changes_state_view(module, cls)


def _changes_state_view(module: ir.Module, cls: ir.ClassDef) -> bool:
    if any(_WRITING_BASES.search(ir.last_name(b) or "") for b in cls.bases):
        return True
    for function in module.functions:
        if function.class_name != cls.qualname:
            continue
        if function.name in _UNSAFE_METHODS:
            return True
        for decorator in function.decorators:
            methods = decorator.kwarg("methods") if isinstance(decorator, ir.Call) else None
            if methods is not None and any(isinstance(n, ir.Const) and isinstance(n.value, str)
                                           and n.value.lower() in _UNSAFE_METHODS for n in ir.walk_expr(methods)):
                return True
    return False


def _relocated_enforcers(facts: Mapping[str, Facts]) -> Iterator[Finding]:
    """A disabled CSRF check is reported where it takes effect: at the first view that chooses the
    class and accepts a state-changing request, with the others and the class as evidence. A class
    no view names (or one a settings default names by its dotted path) stays reported at itself; one
    only read-only views name lets no cross-site request change anything."""
    uses = [use for fact in facts.values() for use in fact.auth_uses]
    texts = {text for fact in facts.values() for text in fact.dotted_texts}
    for fact in facts.values():
        for qualname, finding in fact.enforcers:
            naming = [(site, writes) for named, site, writes in uses if any(_same_name(n, qualname) for n in named)]
            sites = [site for site, writes in naming if writes]
            if not naming or any(_same_name(text, qualname) for text in texts):
                yield finding
                continue
            if not sites:
                continue
            first = sites[0]
            more = f" and {len(sites) - 1} other view(s)" if len(sites) > 1 else ""
            cls = qualname.rsplit(".", 1)[-1]
            yield replace(finding, location=Location(first.path, first.line),
                          title=f"`{first.name}` authenticates with `{cls}`, whose CSRF check does nothing{more}",
                          evidence=tuple(TraceStep(Location(s.path, s.line), f"`{s.name}` accepts state-changing "
                                                   f"requests authenticated by `{cls}`", s.code) for s in sites[:10])
                          + finding.evidence)


def _same_name(written: str, qualname: str) -> bool:
    """Project-wide names compared as the review may spell them from inside or above the package."""
    return written == qualname or written.endswith("." + qualname) or qualname.endswith("." + written)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    if not settings.enabled("csrf"):
        return
    facts = {rel: f for rel, f in sorted(per_file.items()) if isinstance(f, Facts)}
    forms = [site for f in facts.values() for site in f.flask_forms]
    disabled = [site for f in facts.values() for site in f.flask_disabled]
    protected = any(f.flask_protected for f in facts.values()) and not disabled
    if forms and any(f.flask_login for f in facts.values()) and not protected:
        app = next((f.flask_app for f in facts.values() if f.flask_app is not None), None)
        yield _flask_finding(forms, app, disabled)
    yield from _relocated_enforcers(facts)
    views = [site for f in facts.values() for site in f.django_views]
    wrapped = {name for f in facts.values() for name in f.url_exempted}
    for site in views:
        if site.name.split(".", 1)[0] in wrapped:
            yield _url_exempt_finding(site)
    if views and not any(f.middleware_protected for f in facts.values()):
        for rel, fact in facts.items():
            if fact.middleware_line:
                yield _middleware_finding(rel, fact, views)


# ---------------------------------------------------------------- Django


def _exempt_decorator(module: ir.Module, function: ir.Function, scope: ModuleScope,
                      vocab: CsrfVocabulary) -> str | None:
    cls = access.enclosing_class(module, function)
    decorators = list(function.decorators) + (list(cls.decorators) if cls is not None else [])
    for decorator in decorators:
        for node in ir.walk_expr(decorator):
            if isinstance(node, (ir.Name, ir.Attr)):
                name = scope.qualify(ir.dotted_name(node) or "", function, set()) or ""
                if name in vocab.exempt_decorators:
                    return f"@{ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator)}"
    return None


def _is_drf(module: ir.Module, function: ir.Function) -> bool:
    cls = access.enclosing_class(module, function)
    if cls is not None and any(_DRF_BASES.search(ir.last_name(b)) for b in cls.bases):
        return True
    return any(ir.last_name(d.func if isinstance(d, ir.Call) else d) == "api_view" for d in function.decorators)


def _session_state_change(module: ir.Module, function: ir.Function, handler: HandlerInfo,
                          vocab: CsrfVocabulary, index: FileIndex) -> bool:
    """A Django view that acts for the signed-in user and changes something, and that does
    not authenticate the request another way."""
    if _is_drf(module, function) or _machine_endpoint(function, handler, vocab) \
            or _self_authenticates(function, vocab, index):
        return False
    session = handler.auth == "required" or _reads_request_user(function, index)
    return session and _changes_state(function, vocab, index)


def _machine_endpoint(function: ir.Function, handler: HandlerInfo, vocab: CsrfVocabulary) -> bool:
    named = set(words(function.qualname)) | set(re.findall(r"[a-z]+", handler.path.lower()))
    return bool(named & vocab.machine_words)


def _self_authenticates(function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    """Reads request headers, or calls something that verifies a signature or token."""
    for node in index.block_nodes(function.body):
        name = ir.dotted_name(node) or ""
        if re.match(r"(self\.)?request\.(headers|META)\b", name):
            return True
        if isinstance(node, ir.Call) and set(words(ir.last_name(node.func))) & vocab.self_auth_words:
            return True
    return False


def _reads_request_user(function: ir.Function, index: FileIndex) -> bool:
    return any((ir.dotted_name(n) or "").startswith(("request.user", "self.request.user"))
               for n in index.block_nodes(function.body))


def _changes_state(function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    """Handles a submission (reads the form or body, tests for POST, or is POST-only) and writes."""
    return _writes(function, vocab, index) and (_handles_submission(function, vocab, index) or _post_only(function))


def _writes(function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    """`obj.save()`, `db.session.commit()`, or a helper named for a change (`mfa_enable(user)`)."""
    return any((isinstance(n.func, ir.Attr) and n.func.attr in vocab.writes)
               or bool(set(words(ir.last_name(n.func))) & vocab.write_words)
               for s in index.walk_stmts(function.body) if not isinstance(s, (ir.If, ir.While))
               for n in index.stmt_of_kind(s, ir.Call))


def _handles_submission(function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    for node in index.block_nodes(function.body):
        if isinstance(node, ir.Attr) and node.attr in vocab.form_attributes | {"body"} \
                and (ir.dotted_name(node.value) or "") in ("request", "self.request"):
            return True
        if isinstance(node, ir.Const) and node.value in ("POST", "PUT", "PATCH", "DELETE"):
            return True
    return function.name in ("post", "put", "patch", "delete")


def _post_only(function: ir.Function) -> bool:
    return any(ir.last_name(d.func if isinstance(d, ir.Call) else d) in ("require_POST", "require_http_methods")
               for d in function.decorators)


def _django_session_views(module: ir.Module, scope: ModuleScope, vocab: CsrfVocabulary) -> Iterator[Site]:
    index = file_index(module, scope)
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is not None and handler.framework == "django" and _session_state_change(module, function, handler,
                                                                                           vocab, index):
            yield Site(module.path, function.line, function.qualname, module.line_text(function.line))


def _url_exempted(module: ir.Module, scope: ModuleScope, vocab: CsrfVocabulary) -> Iterator[str]:
    """Names a URLconf hands to `csrf_exempt(...)` instead of decorating the view: the function
    (`views.change_email`) or the class of `View.as_view()`."""
    index = file_index(module, scope)
    for function, body in index.bodies_holding(_needs().url_exempt, all_bodies(module)):
        for node in index.block_of_kind(body, ir.Call):
            if len(node.args) != 1 or \
                    (scope.qualify(ir.dotted_name(node.func) or "", function, set()) or "") not in vocab.exempt_decorators:
                continue
            view = node.args[0]
            if isinstance(view, ir.Call) and ir.last_name(view.func) == "as_view" and isinstance(view.func, ir.Attr):
                view = view.func.value
            if isinstance(view, (ir.Name, ir.Attr)):
                yield ir.last_name(view)


def _url_exempt_finding(site: Site) -> Finding:
    return make_finding(
        "csrf", Location(site.path, site.line, site.line),
        f"`{site.name}` changes state for the signed-in user with CSRF protection switched off",
        f"A URLconf wraps `{site.name}` in `csrf_exempt(...)`; the view acts for the user of the session cookie "
        "and changes data. Any web page the user visits can submit this request in the background and the "
        "browser will attach the cookie: the change happens in the user's name without their knowledge.",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(site.path, site.line), "exempted from Django's CSRF check in the URLconf",
                            site.code),),
        fix=Fix("Route the view without `csrf_exempt(...)` and send the CSRF token with the request ({% csrf_token %} "
                "in forms, the X-CSRFToken header from scripts).", "", ""),
        rule=RULE.id, key=f"exempt:{site.name}",
    )


def _middleware(module: ir.Module, vocab: CsrfVocabulary) -> tuple[int, bool]:
    """(line of a MIDDLEWARE with sessions but no CSRF middleware, whether one has it)."""
    if not is_settings_module(module) or is_dev_path(module.path):
        return 0, False
    stmt = module_constants(module).get("MIDDLEWARE") or module_constants(module).get("MIDDLEWARE_CLASSES")
    if stmt is None or not isinstance(stmt.value, ir.Seq):
        return 0, False
    entries = [str(e.value) for e in stmt.value.elts if isinstance(e, ir.Const)]
    mentioned = " ".join(entries) + " " + " ".join(
        str(n.value) for s in module.body for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)
        if isinstance(n, ir.Const) and isinstance(n.value, str))
    if any(word in mentioned for word in vocab.csrf_middleware):
        return 0, True
    if len(entries) != len(stmt.value.elts) or not any(m in e for e in entries for m in vocab.session_middleware):
        return 0, False  # built from other lists: not judged
    return stmt.line, False


def _middleware_entries(module: ir.Module) -> tuple[str, tuple[str, ...]]:
    for name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
        stmt = module_constants(module).get(name)
        if stmt is not None and isinstance(stmt.value, ir.Seq):
            return name, tuple(str(e.value) for e in stmt.value.elts if isinstance(e, ir.Const))
    return "", ()


# ---------------------------------------------------------------- Flask


def _flask_login(module: ir.Module, scope: ModuleScope, vocab: CsrfVocabulary) -> bool:
    index = file_index(module, scope)
    logins = may_call(module, scope, vocab.session_logins)
    if not logins and "session" not in file_tokens(module, scope):
        return False  # the other two answers write to a name or attribute ending in `session`
    for function, body in [(None, module.body)] + [(f, f.body) for f in module.functions]:
        for stmt in index.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Subscript) and access.is_principal(t, frozenset())
                                                   and (ir.dotted_name(t.value) or "").endswith("session")
                                                   for t in stmt.targets):
                return True
            for node in index.stmt_of_kind(stmt, ir.Call) if logins else ():
                if id(node) in logins and call_name(node, scope, function) in vocab.session_logins:
                    return True
        if function is not None and _password_then_session(function, index):
            return True
    return False


def _password_then_session(function: ir.Function, index: FileIndex) -> bool:
    """`if not check_password_hash(row["hash"], pw): ...` then `session["merchant_id"] = row["id"]`:
    whatever the key is called, what a password check puts in the session is a login."""
    checks = any("password" in ir.last_name(n.func).lower() or ir.last_name(n.func) in ("checkpw", "verify")
                 for n in index.block_of_kind(function.body, ir.Call))
    return checks and any(isinstance(s, ir.Assign) and any(
        isinstance(t, ir.Subscript) and (ir.dotted_name(t.value) or "") in ("session", "flask.session")
        for t in s.targets) for s in index.walk_stmts(function.body))


def _flask_protection(module: ir.Module, scope: ModuleScope, vocab: CsrfVocabulary) -> str:
    index = file_index(module, scope)
    if not index.holds(_needs().protection):
        return ""
    for _, stmt in index.stmts_with_function:  # module body, class bodies, function bodies
        if isinstance(stmt, ir.Assign) and _samesite_assignment(stmt):
            return f"SESSION_COOKIE_SAMESITE (line {stmt.line})"
        for node in index.stmt_of_kind(stmt, ir.Call):
            name = ir.last_name(node.func)
            if name in vocab.protections:
                return f"{name} (line {node.line})"
            if name == "protect" and isinstance(node.func, ir.Attr) and "csrf" in \
                    (ir.dotted_name(node.func.value) or "").lower():
                return f"csrf.protect() (line {node.line})"
            kw = node.kwarg("SESSION_COOKIE_SAMESITE")
            if kw is not None and _SAMESITE.match(str(getattr(kw, "value", ""))):
                return f"SESSION_COOKIE_SAMESITE (line {node.line})"
            if ir.last_name(node.func) == "compare_digest" and _session_against_request(node.args):
                return f"a session token compared with the request's (line {node.line})"
        if isinstance(stmt, ir.If):
            for node in ir.walk_expr(stmt.test):
                if isinstance(node, ir.Compare) and node.ops[0] in ("!=", "==") \
                        and _session_against_request((node.left, *node.comparators)):
                    return f"a session token compared with the request's (line {stmt.line})"
    return ""


_DEV_CONFIG = re.compile(r"(?i)test|dev|local|debug|ci\b")


def _flask_disabled(module: ir.Module, vocab: CsrfVocabulary, index: FileIndex) -> Iterator[Site]:
    """`WTF_CSRF_ENABLED = False` in a config module or class, `app.config["WTF_CSRF_ENABLED"] = False`,
    `app.config.update(WTF_CSRF_ENABLED=False)`: CSRFProtect installed and then turned off. Test and
    development configurations (by path or class name) turn it off on purpose."""
    if is_dev_path(module.path) or not index.holds(_needs().disabled):
        return
    for body, owner in [(module.body, ""), *((c.body, c.name) for c in module.classes),
                        *((f.body, f.name) for f in module.functions)]:
        if _DEV_CONFIG.search(owner) or not index.holds(_needs().disabled, body):
            continue
        for stmt in index.walk_stmts(body):
            names: list[str] = []
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const) and stmt.value.value is False:
                names += [t.id if isinstance(t, ir.Name) else str(getattr(t.index, "value", ""))
                          for t in stmt.targets if isinstance(t, (ir.Name, ir.Subscript))]
            for expr in ir.stmt_exprs(stmt):
                names += [kw.name for n in ir.walk_expr(expr) if isinstance(n, ir.Call)
                          for kw in n.kwargs if kw.name and isinstance(kw.value, ir.Const) and kw.value.value is False]
            for name in names:
                if name in vocab.disabling_settings:
                    yield Site(module.path, stmt.line, name, module.line_text(stmt.line))


def _session_against_request(sides: tuple[ir.Expr, ...]) -> bool:
    """`session["nonce"] != request.form.get("nonce")`: a hand-written CSRF token check (the
    session's secret against what the page sent back in the form or a header)."""
    def from_session(expr: ir.Expr) -> bool:
        return any((ir.dotted_name(n.value if isinstance(n, ir.Subscript) else n.func.value
                                  if isinstance(n, ir.Call) and isinstance(n.func, ir.Attr) else n) or "")
                   in ("session", "flask.session") for n in ir.walk_expr(expr) if isinstance(n, (ir.Subscript, ir.Call)))

    def from_request(expr: ir.Expr) -> bool:
        return any((ir.dotted_name(n) or "").startswith(("request.form", "request.headers", "request.values"))
                   for n in ir.walk_expr(expr) if isinstance(n, ir.Attr))
    return any(from_session(a) for a in sides) and any(from_request(b) for b in sides)


def _samesite_assignment(stmt: ir.Assign) -> bool:
    value = stmt.value
    if not isinstance(value, ir.Const) or not _SAMESITE.match(str(value.value)):
        return False
    for target in stmt.targets:
        key = target.id if isinstance(target, ir.Name) else \
            target.index.value if isinstance(target, ir.Subscript) and isinstance(target.index, ir.Const) else ""
        if key in ("SESSION_COOKIE_SAMESITE", "REMEMBER_COOKIE_SAMESITE"):
            return True
    return False


def _flask_forms(module: ir.Module, scope: ModuleScope, vocab: CsrfVocabulary) -> Iterator[Site]:
    index = file_index(module, scope)
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None or handler.framework != "flask" or not set(handler.methods) & _ROUTE_METHODS:
            continue
        if _machine_endpoint(function, handler, vocab) or _reads_json(function, index):
            continue
        if not _writes(function, vocab, index):
            continue
        if not (handler.auth == "required" or _mentions_session_user(function, index)):
            continue
        if _checks_form_or_origin(function, vocab, index) or _header_authenticated(module, function, vocab, index):
            continue
        yield Site(module.path, function.line, function.qualname, module.line_text(function.line))


def _header_authenticated(module: ir.Module, function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    """The handler, or a decorator of this module wrapping it (`@need_auth`, a Resource's
    `method_decorators = [need_auth]`), authenticates from a header (Basic or Bearer), which a
    cross-site form cannot send: the endpoint is not cookie-authenticated."""
    if _self_authenticates(function, vocab, index):
        return True
    cls = access.enclosing_class(module, function)
    wrappers = [*function.decorators, *(e for s in (cls.body if cls else ()) if isinstance(s, ir.Assign)
                                        and s.value is not None and any(ir.dotted_name(t) in ("decorators", "method_decorators")
                                                for t in s.targets) for e in ir.walk_expr(s.value))]
    names = {ir.dotted_name(w.func if isinstance(w, ir.Call) else w) for w in wrappers}
    defined = {f.qualname: f for f in module.functions}
    for name in names:
        decorator = defined.get(name or "")
        if decorator is not None and any(_self_authenticates(inner, vocab, index) or
                                         any(ir.dotted_name(n) == "request.authorization"
                                             for n in index.block_nodes(inner.body))
                                         for inner in module.functions
                                         if inner is decorator or inner.parent == decorator.qualname):
            return True
    return False


def _reads_json(function: ir.Function, index: FileIndex) -> bool:
    """`request.get_json()` / `request.json`: Flask answers 415 unless the body is JSON, which a
    cross-site page cannot send without a CORS preflight."""
    return any(n.attr in ("get_json", "json") and ir.dotted_name(n.value) == "request"
               for n in index.block_of_kind(function.body, ir.Attr))


def _mentions_session_user(function: ir.Function, index: FileIndex) -> bool:
    return any(access.is_principal(e, frozenset()) for s in index.walk_stmts(function.body) for e in ir.stmt_exprs(s))


def _checks_form_or_origin(function: ir.Function, vocab: CsrfVocabulary, index: FileIndex) -> bool:
    forms = {t.id for s in index.walk_stmts(function.body) if isinstance(s, ir.Assign) and isinstance(s.value, ir.Call)
             and "form" in ir.last_name(s.value.func).lower() for t in s.targets if isinstance(t, ir.Name)}
    for node in index.block_nodes(function.body):
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "validate" \
                and isinstance(node.func.value, ir.Name) and node.func.value.id in forms:
            return True  # `form = AdminForm(); form.validate()`: a Flask-WTF form checks its CSRF token there

        if isinstance(node, ir.Call) and ir.last_name(node.func) in vocab.form_checks:
            return True
        if isinstance(node, ir.Const) and isinstance(node.value, str) and \
                node.value.lower() in ("origin", "referer", "http_origin", "http_referer"):
            return True
        if isinstance(node, (ir.Name, ir.Attr)) and "csrf" in (ir.dotted_name(node) or "").lower():
            return True
        if isinstance(node, ir.Attr) and node.attr in ("referrer", "origin") \
                and ir.dotted_name(node.value) == "request":
            return True
    return False


# ---------------------------------------------------------------- findings


def _exempt_finding(module: ir.Module, function: ir.Function, exempt: str) -> Finding:
    name = function.qualname
    return make_finding(
        "csrf", Location(module.path, function.line, function.line),
        f"`{name}` changes state for the signed-in user with CSRF protection switched off",
        f"`{name}` is marked {exempt}, acts for the user of the session cookie and changes data. Any web page "
        "the user visits can submit this request in the background and the browser will attach the cookie: "
        "the change happens in the user's name without their knowledge.",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line), f"{exempt}: Django's CSRF check is off for this view",
                            module.line_text(function.line)),),
        fix=_exempt_fix(module, function),
        rule=RULE.id, key=f"exempt:{name}",
    )


def _exempt_fix(module: ir.Module, function: ir.Function) -> Fix:
    """The view (and its class) as written, without the exemption."""
    cls = access.enclosing_class(module, function)
    view = Handler("django", function.name, tuple(p.name for p in function.params),
                   class_name=function.class_name or "",
                   class_bases=tuple(ir.dotted_name(b) or "" for b in cls.bases) if cls else (),
                   is_async=function.is_async, def_line=def_header(module.lines, function.line),
                   decorators=own_decorators(module.lines, function.line),
                   class_decorators=own_decorators(module.lines, cls.line) if cls else ())
    exempt = frozenset(d.rsplit(".", 1)[-1] for d in csrf_vocabulary().exempt_decorators)
    return Fix("Remove the exemption and send the CSRF token with the request ({% csrf_token %} in forms, the "
               "X-CSRFToken header from scripts). If the endpoint is called by another server, authenticate it "
               "with a signature or token instead of the session.", drop_decorators(view, exempt), "python")


def _sites(views: list[Site], limit: int = 10) -> tuple[TraceStep, ...]:
    return tuple(TraceStep(Location(v.path, v.line), f"`{v.name}` changes state for the session user", v.code)
                 for v in views[:limit])


def _flask_finding(forms: list[Site], app: AppSite | None, disabled: Sequence[Site] = ()) -> Finding:
    first = forms[0]
    more = f" and {len(forms) - 1} other form endpoint(s)" if len(forms) > 1 else ""
    evidence = _sites(forms) + tuple(TraceStep(Location(s.path, s.line), f"`{s.name} = False`: Flask-WTF's CSRF "
                                               "check is switched off", s.code) for s in disabled)
    if app is not None:
        evidence += (TraceStep(Location(app.path, app.line), f"`{app.name}`: the application, created without "
                               "CSRF protection", app.code),)
    return make_finding(
        "csrf", Location(first.path, first.line),
        f"Cookie-session form endpoints without CSRF protection (`{first.name}`{more})",
        "The application logs users in with a cookie session and accepts form submissions that change data, but "
        "installs no CSRF protection (no CSRFProtect, no SameSite=Lax/Strict session cookie, no token or Origin "
        "check in the handlers). A page on any other site can post these forms in the user's name.",
        confidence=Confidence.MEDIUM, evidence=evidence,
        fix=Fix("Install Flask-WTF's CSRF protection on the application and render the token in every form "
                "(<input type=\"hidden\" name=\"csrf_token\" value=\"{{ csrf_token() }}\">); set the session "
                "cookie's SameSite attribute as a second line.",
                protect_flask_app(app.name, app.code, app.factory) if app is not None else "",
                "python" if app is not None else ""),
        rule=RULE.id, key="flask-app",
    )


def _middleware_finding(rel: str, fact: Facts, views: list[Site]) -> Finding:
    code = list_with_entry(fact.middleware_name, fact.middleware_entries, "django.middleware.csrf.CsrfViewMiddleware",
                           ("SessionMiddleware", "CommonMiddleware")) if fact.middleware_entries else ""
    return make_finding(
        "csrf", Location(rel, fact.middleware_line),
        "MIDDLEWARE has sessions but no CsrfViewMiddleware",
        f"Users sign in with Django's session cookie, but `django.middleware.csrf.CsrfViewMiddleware` is not in "
        f"MIDDLEWARE, so none of the {len(views)} session view(s) that change state checks a CSRF token: any page "
        "the user visits can submit them in the user's name.",
        confidence=Confidence.MEDIUM, evidence=_sites(views),
        fix=Fix("Add the CSRF middleware after the session middleware and render {% csrf_token %} in forms.",
                code, "python" if code else ""),
        rule=RULE.id, key="middleware",
    )


RULE = Rule("py-csrf", frozenset({"csrf"}), "python", check, collect=collect, combine=combine)
