"""Missing timeout: an outbound HTTP call (axios, got, fetch, node-fetch, http.request) with no
timeout or abort signal, or an HTTP client built by `axios.create`/`got.extend` without one.

## What it finds
Calls whose options (the object literal the library reads them from) set neither `timeout`
nor `signal`; an HTTP client built by `axios.create`/`got.extend` without one, unless the module
sets the instance's own `defaults.timeout`. Calls on a client whose bound is set once for the
whole process are decided project-wide: axios's default instance (`axios.get(...)`) unless some
module sets `axios.defaults.timeout`; `fetch` and undici's `request` unless some module installs
a global dispatcher with a headers or body timeout (`setGlobalDispatcher(new Agent({...}))`);
@nestjs/axios's injected `HttpService` (`this.http.get(url)`, `this.http.axiosRef.post(...)`)
unless the project registers `HttpModule` with a timeout (or through `registerAsync`, whose
options it cannot see). A client built by the project's own factory (`makeClient(opts)`,
`factory.create(opts)` on a parameter or member typed with the factory's class, a client class's
constructor called as `new VendorApi(url, opts)` or by a subclass's `super(url, opts)`) whose
`axios.create`/`got.extend` takes its timeout from a field of the factory's options
(`timeout: opts.timeoutMs`, with no default of its own) is unbounded at each call that leaves that
field out of its options literal. An options object with a spread (`{...defaults}`) or passed as a
variable counts as possibly bounded; a lone object literal in front of the options position is the
config form (`axios({ url, timeout })`, `got({ url })`).

Graded by who waits: high for an awaited (or returned) call to a remote host on a client with no
bound at all; medium for a client built without one; low where the library's own default bounds
the wait (fetch and undici: 300 seconds), the peer is this machine (`socketPath`,
`enableUnixSockets`, a `localhost` URL: the service's own sidecar), the call is a statement
nobody awaits (`void fetch(...)`, `axios.post(hook, body).then(log).catch(log)`, whose callbacks
only log; not `.then((r) => res.json(r.data))` nor a promise's executor, whose callbacks answer
someone who waits), the call is made in a function of the module that nobody waits for (an
unexported helper that only such statements call: `refresh().catch(log)`, or only other such
helpers; not where it is awaited in a loop, delivering a webhook to each subscriber in turn: one
stalled peer holds every later delivery, forever on a client that never gives up), the call is
awaited in a function or method that the whole project only starts without awaiting (every call
that may land in it, matched by name since a receiver's class is rarely known, is a statement
nobody awaits, is made from another such function, or is a configuration test action's:
`agents.forEach((a) => a.send(n))` with `sendTestNotification` the one awaiting caller;
rules/javascript/_background.py), or the code
is a sign-in flow's step at an identity provider (a module under `sso/`, `oauth/`, `oidc/`,
`saml/` or so named, a handler of a route whose path says so, and the module's helpers only
those call): only the person signing in waits there, and the sign-in cannot finish without
that provider anyway.

## Why it matters
Neither axios (its `timeout` defaults to 0) nor got ever gives up on a server that accepts the
connection and then stalls; Node's fetch waits up to undici's default 300 seconds for the headers
and as long again between body chunks. Each stuck call holds the request that made it; under a
slow dependency the service stops answering long before its CPU is busy.

## Example
```js
const { data } = await axios.get(`${BILLING_URL}/invoices/${id}`);
```
Use instead:
```js
const { data } = await axios.get(`${BILLING_URL}/invoices/${id}`, { timeout: 5000 });
```

## Fix
Pass `timeout` (axios, got, http) or `signal: AbortSignal.timeout(ms)` (fetch), or build one
client with `axios.create({ timeout })` and use it everywhere.

## Known problems
A timeout set by a wrapper the call goes through (an interceptor, a shared options
variable) is assumed when the options are not an object literal. Who waits across modules is
judged by the called name: a function of the project that shares its name with another one some
module awaits (`send`), one handed on as a value anywhere, or one a decorator registers (an event
listener the framework runs, `@OnEvent`) is still graded high. A factory is followed only when its caller's options are an object literal and the factory reads
the timeout straight off its parameter (not through a destructured parameter or a local copy); a
factory called on an untyped parameter or through a container lookup is not recognised.
A sign-in flow is recognised by its module's or route's name, so
an identity provider's call in a module named otherwise (`auth.service.ts`) is graded like any other.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.lang.javascript.modules import imported_name
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript import _background
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _client_factories as factories
from servicelens.rules.javascript._node import (HttpCall, NamedCall, code_line, has_spread, knowledge, location,
                                                named_calls)
from servicelens.rules.javascript._sign_in import in_sign_in, sign_in_code
from servicelens.rules.javascript._unwaited import discarded, in_loop, outermost, unwaited_functions
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


AXIOS, FETCH, NEST_HTTP = "axios", "fetch", "nest-http"  # clients bounded once for the whole process


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    """Every call but those on a process-wide client and those awaited in a function other modules
    may start without awaiting (decided in `combine`)."""
    return (f for f, owner in _findings(module, scope) if not _shared_client(f.key) and not owner)


def collect(module: ir.Module, scope: ModuleScope) -> _FileFacts | None:
    """The process-wide clients this file bounds, and its calls on them; the client factories it
    defines, and its calls of project functions with options (rules/javascript/_client_factories.py)."""
    found = tuple((f, owner) for f, owner in _findings(module, scope) if _shared_client(f.key) or owner)
    built = () if is_dev_path(module.path) else tuple(factories.factory_calls(module, scope))
    made = tuple(factories.factories(module, scope))
    waits = _background.Uses() if is_dev_path(module.path) else _background.uses(module, scope)
    return contribution(_FileFacts(_bounds_shared(module, scope), found, made, built,
                                   tuple(calls.aliases(module)) if made or built else (), waits),
                        _FileFacts(frozenset(), (), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """`axios.defaults.timeout = 10000`, `setGlobalDispatcher(new Agent({ headersTimeout }))` or
    `HttpModule.register({ timeout })` in one module bounds every call on that client in the
    process: Node loads a module once, so every file's `axios` (fetch's dispatcher, Nest's
    HttpService) is the same one. A factory's caller that leaves out the option the factory makes
    the client's timeout builds a client without one."""
    facts = [(path, f) for path, f in sorted(per_file.items()) if isinstance(f, _FileFacts)]
    bounded = frozenset().union(*(f.bounds for _, f in facts)) if facts else frozenset()
    behind = _background.background(f.waits for _, f in facts) if any(f.shared_calls for _, f in facts) \
        else frozenset()
    for _, found in facts:
        yield from (_in_background(f) if owner in behind else f for f, owner in found.shared_calls
                    if settings.enabled(f.concern) and _shared_client(f.key) not in bounded)
    aliases = {alias: key for _, found in facts for alias, key in found.aliases}
    made = {(factories.named(f.key, aliases), f.index): f for _, found in facts for f in found.factories}
    if not settings.enabled("missing-timeout"):
        return
    for path, found in facts:
        for call in found.factory_calls:
            factory = made.get((factories.named(call.key, aliases), call.index))
            if factory is not None and factory.field not in call.keys:
                yield _factory_finding(path, call, factory)


def _factory_finding(path: str, call: factories.FactoryCall, factory: factories.Factory) -> Finding:
    return make_finding(
        "missing-timeout", Location(path, call.line, call.line),
        f"HTTP client built by `{call.written}(...)` has no timeout",
        f"The factory passes its `{factory.field}` option on as the client's timeout, and this call does not "
        "set it: axios and got then wait for a stalled server forever, holding every request that calls it.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=Fix(f"Pass `{factory.field}` here, or give the factory a default (`timeout: options.{factory.field} "
                "?? 5000`) so no client is built without a bound.", "", "javascript"),
        rule=RULE.id, key=f"{call.key}|{path}:{call.written}",
    )


def _in_background(finding: Finding) -> Finding:
    """An awaited call in a function every call of which, project-wide, nobody waits for."""
    return replace(finding, confidence=Confidence.LOW, why=finding.why + _BACKGROUND)


_BACKGROUND = (" Every call of the function it is made in is started without being awaited (or is awaited only "
               "by a configuration test action), across the project: a stall holds a background promise, "
               "not a request.")


@dataclass(frozen=True, slots=True)
class _FileFacts:
    bounds: frozenset[str]  # process-wide clients this file bounds
    # its calls on process-wide clients, and those awaited in a function that other modules may start
    # without awaiting, each with that function's key ("" for none)
    shared_calls: tuple[tuple[Finding, str], ...]
    factories: tuple[factories.Factory, ...]
    factory_calls: tuple[factories.FactoryCall, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # how the module's exports are called (`_calls.aliases`)
    waits: _background.Uses = _background.Uses()  # who waits on which call (rules/javascript/_background.py)


def _shared_client(key: str) -> str:
    """Which process-wide client a finding's call is on ("" for none)."""
    name = key.partition("|")[0]
    if name == "axios" or (name.startswith("axios.") and name not in ("axios.create", "axios.request")):
        return AXIOS
    if name in ("fetch", "undici.fetch", "undici.request"):
        return FETCH
    return NEST_HTTP if name.startswith(_NEST_HTTP_SERVICE + ".") else ""


_NEST_HTTP_SERVICE = "@nestjs/axios.HttpService"
_NEST_HTTP_MODULE = "@nestjs/axios.HttpModule"
_DISPATCHER_TIMEOUTS = frozenset({"headersTimeout", "bodyTimeout"})


def _bounds_shared(module: ir.Module, scope: ModuleScope) -> frozenset[str]:
    found = {AXIOS} if _sets_axios_default(module, scope) else set()
    # a Nest module registers its clients in its `@Module({ imports: [...] })` decorator
    in_decorators = ((imported_name(node.func, scope.imports), node) for cls in module.classes
                     for decorator in cls.decorators for node in ir.walk_expr(decorator) if isinstance(node, ir.Call))
    for name, call in itertools.chain(((n.name, n.call) for n in named_calls(module, scope)), in_decorators):
        if name == "undici.setGlobalDispatcher" and call.args and _dispatcher_bounded(call.args[0], scope):
            found.add(FETCH)
        elif name == f"{_NEST_HTTP_MODULE}.registerAsync" or (
                name == f"{_NEST_HTTP_MODULE}.register" and call.args and _options_bounded(call.args[0])):
            found.add(NEST_HTTP)
    return frozenset(found)


def _dispatcher_bounded(expr: ir.Expr, scope: ModuleScope) -> bool:
    """`new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 })` of undici."""
    if not isinstance(expr, ir.Call) or not expr.args:
        return False
    options = expr.args[0]
    return not isinstance(options, ir.DictExpr) or has_spread(options) or \
        any(isinstance(k, ir.Const) and k.value in _DISPATCHER_TIMEOUTS for k in options.keys)


def _options_bounded(options: ir.Expr) -> bool:
    return not isinstance(options, ir.DictExpr) or has_spread(options) or \
        any(isinstance(k, ir.Const) and k.value == "timeout" for k in options.keys)


def _sets_axios_default(module: ir.Module, scope: ModuleScope) -> bool:
    """`axios.defaults.timeout = ms` on the imported default instance (an instance's own
    `client.defaults.timeout` bounds that instance only)."""
    targets = knowledge().default_timeout_targets
    bodies = [module.body] + [f.body for f in module.functions]  # at start-up, often in a server's constructor
    for stmt in (s for body in bodies for s in ir.walk_stmts(body)):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                head, _, rest = (ir.dotted_name(target) or "").partition(".")
                if rest in targets and scope.imports.get(head) == "axios":
                    return True
    return False


def _findings(module: ir.Module, scope: ModuleScope) -> Iterable[tuple[Finding, str]]:
    """Each finding, with the key of the function it is awaited in when other modules may start
    that function without awaiting it (`combine` decides; "" otherwise)."""
    if not scope.memo("js-http-words", lambda: _names_a_client(module)):
        return
    found = list(_unbounded_calls(module, scope))
    if not found:
        return
    unwaited = unwaited_functions(module)  # read once, and only in a module that makes such a call
    sign_in = sign_in_code(module, scope)
    for named, name, spec, options in found:
        call = named.call
        client = name.endswith((".create", ".extend"))
        what = f"HTTP client built by `{named.name}(...)`" if client else _shown(call, named.name, name)
        confidence, note = _graded(module, named.function, call, name, options, client, unwaited, sign_in)
        owner = outermost(named.function) if confidence is Confidence.HIGH and not in_loop(named.function, call) \
            else ""
        yield make_finding(
            "missing-timeout", location(module, call), f"{what} has no timeout",
            _why(name) + note,
            severity=Severity.MEDIUM, confidence=confidence,
            fix=Fix(_advice(name), _fixed(module, call, name, spec.options), "javascript"),
            rule=RULE.id, key=f"{name}|{code_line(module, call.line)}",
        ), f"{module.module_name}.{owner}" if owner else ""


# a file none of these words appear in makes no outbound call (every file's calls are read for
# who waits on what, so the rule's prefilter is its own: rules/javascript/_background.py)
_CLIENT_WORDS = ("axios", "got", "fetch", "http", "undici")


def _names_a_client(module: ir.Module) -> bool:
    return any(word in line.lower() for line in module.lines for word in _CLIENT_WORDS)


def _unbounded_calls(module: ir.Module,
                     scope: ModuleScope) -> Iterator[tuple[NamedCall, str, HttpCall, ir.Expr | None]]:
    """Each outbound call (or client built) with no bound in its options: the call, the library's
    name for it, what the library takes, and its options argument."""
    if is_dev_path(module.path):
        return
    known = knowledge().http_calls
    held = dict(calls.members(module, scope))
    instances = _instances_with_default_timeout(module)
    for named in named_calls(module, scope):
        name = _through_member(named.name, held)
        spec = known.get(name)
        if spec is None or spec.options < 0:
            continue
        if name.endswith((".create", ".extend")) and _assigned_to(module, named.call) & instances:
            continue  # `api.defaults.timeout = 5000` on the instance this call builds
        options = _options(named.call, spec.options)
        if options is not None and (not isinstance(options, ir.DictExpr) or has_spread(options) or
                                    any(isinstance(k, ir.Const) and k.value in spec.keys for k in options.keys)):
            continue  # bounded, or built elsewhere where we cannot see
        yield named, name, spec, options


def _options(call: ir.Call, index: int) -> ir.Expr | None:
    """The options argument: at the library's position, or a lone object literal in front of it
    (`axios({ url, timeout })`, `got({ url })`, `http.request({ host, path })`: the config form,
    where a URL is never an object literal)."""
    if len(call.args) > index:
        return call.args[index]
    if index > 0 and call.args and isinstance(call.args[0], ir.DictExpr):
        return call.args[0]
    return None


def _graded(module: ir.Module, function: ir.Function | None, call: ir.Call, name: str, options: ir.Expr | None,
            client: bool, unwaited: frozenset[str], sign_in: frozenset[str]) -> tuple[Confidence, str]:
    """How sure a stall holds someone: high for an awaited call to a remote host on a client with no
    bound at all; medium for a client built without one (its calls are elsewhere); low where the
    library's own default bounds the wait (fetch's undici), the peer is this machine (a Unix
    socket, localhost: the service's own sidecar), nothing waits for the answer (`void notify()`,
    a bare call statement, or a call inside a function of the module that nobody waits for, unless
    awaited in a loop there, where one stall holds every later turn), or
    the code is a sign-in flow's (_sign_in.py): the peer is the identity provider the person
    signing in waits on, who cannot finish without it."""
    if client:
        return Confidence.MEDIUM, ""
    if _shared_client(name) == FETCH:
        return Confidence.LOW, ""
    if _local_peer(call, options):
        return Confidence.LOW, " The peer here is this machine (a local socket or host), so a stall is the service's own."
    if discarded(module, function, call) or (outermost(function) in unwaited and not in_loop(function, call)):
        return Confidence.LOW, " Nothing waits for this call's answer, so a stall holds a socket, not a request."
    if in_sign_in(function, sign_in):
        return Confidence.LOW, (" This is a sign-in flow's call to its identity provider: only the person signing "
                                "in waits on it, and the sign-in cannot finish without that provider anyway.")
    return Confidence.HIGH, ""


def _local_peer(call: ir.Call, options: ir.Expr | None) -> bool:
    """Options that pick a local socket (`socketPath`, got's `enableUnixSockets`), or a URL whose
    literal start names this machine (`http://localhost:9000/...`, `http://unix:/run/x.sock:/path`)."""
    known = knowledge()
    if isinstance(options, ir.DictExpr) and any(
            isinstance(k, ir.Const) and k.value in known.local_transport_options for k in options.keys):
        return True
    first = call.args[0] if call.args else None
    if isinstance(first, ir.DictExpr):
        first = ir.option(first, "url") or ir.option(first, "baseURL")
    text = _literal_start(first)
    host = text.split("://", 1)[1] if "://" in text else ""
    return any(host.startswith(h) for h in known.local_hosts)


def _literal_start(expr: ir.Expr | None) -> str:
    """The constant text a URL expression starts with ("" when it starts with a variable)."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ir.FormattedString) and expr.parts and isinstance(expr.parts[0], ir.Const):
        return str(expr.parts[0].value)
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        return _literal_start(expr.left)
    return ""


def _why(name: str) -> str:
    if _shared_client(name) == FETCH:
        return ("A server that accepts the connection and then stalls holds this call, and the request waiting on "
                "it, for undici's default 300 seconds before the headers and as long again between body chunks.")
    return ("A server that accepts the connection and then stalls holds this call, and the request waiting on "
            "it, forever: this client has no timeout unless one is given.")


def _shown(call: ir.Call, written: str, name: str) -> str:
    """The call as the code writes it, with its library when it goes through an injected member."""
    if written == name:
        return f"`{name}(...)`"
    code = (ir.dotted_name(call.func) or written).replace("self.", "this.", 1)
    return f"`{code}(...)` ({name.rsplit('.', 1)[0].replace('.HttpService', ' HttpService')})"


def _through_member(name: str, held: Mapping[str, str]) -> str:
    """`svc.Svc.http.get` where the class's member `http` holds @nestjs/axios's HttpService ->
    `@nestjs/axios.HttpService.get`."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 1, -1):
        owner = ".".join(parts[:cut])
        if owner in held:
            return ".".join([held[owner], *parts[cut:]])
    return name


def _instances_with_default_timeout(module: ir.Module) -> frozenset[str]:
    """Names whose `defaults.timeout` the module sets (`api.defaults.timeout = 5000`,
    `this.client.defaults.timeout = ms`): the instance held there is bounded."""
    found = set()
    for stmt in (s for body in [module.body] + [f.body for f in module.functions] for s in ir.walk_stmts(body)):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                dotted = ir.dotted_name(target) or ""
                if dotted.endswith(".defaults.timeout"):
                    found.add(dotted[:-len(".defaults.timeout")])
    return frozenset(found)


def _assigned_to(module: ir.Module, call: ir.Call) -> frozenset[str]:
    """The names the call's result is assigned to (`const api = axios.create()`, `this.http = ...`,
    a class field `private api = axios.create()`)."""
    found = set()
    bodies = [module.body] + [f.body for f in module.functions] + [c.body for c in module.classes]
    for stmt in (s for body in bodies for s in ir.walk_stmts(body)):
        if isinstance(stmt, ir.Assign) and stmt.value is call:
            found.update(ir.dotted_name(t) or "" for t in stmt.targets)
    for cls in module.classes:  # a field initialiser is read as `self.<field>`
        found.update(f"self.{name}" for name in [n.rpartition(".")[2] for n in found if "." not in n]
                     if any(isinstance(s, ir.Assign) and s.value is call for s in cls.body))
    return frozenset(found - {""})


def _advice(name: str) -> str:
    if _shared_client(name) == NEST_HTTP:
        return ("Register the module's client with a timeout (`HttpModule.register({ timeout: 5000 })`), or pass "
                "`timeout` to this call.")
    if name in ("fetch", "node-fetch", "undici.fetch"):
        return "Abort the request after a deadline with `signal: AbortSignal.timeout(ms)`."
    return "Pass a `timeout` in milliseconds so a stalled server fails this call instead of hanging it."


def _fixed(module: ir.Module, call: ir.Call, name: str, options_index: int) -> str:
    """The call itself with the bound added to its options literal, or options appended."""
    if _shared_client(name) == NEST_HTTP:
        return "HttpModule.register({ timeout: 5000 })"
    option = "signal: AbortSignal.timeout(5000)" if name in ("fetch", "node-fetch", "undici.fetch") else "timeout: 5000"
    raw = module.lines[call.line - 1] if 0 < call.line <= len(module.lines) else ""
    given = call.args[options_index] if len(call.args) > options_index else None
    if isinstance(given, ir.DictExpr) and given.line == call.line and raw[given.col:given.col + 1] == "{":
        inner = raw[given.col + 1:].lstrip()
        separator = " " if inner.startswith("}") else ", "
        return (raw[:given.col + 1] + " " + option + separator + inner).strip()
    closing = raw.rfind(")")
    if call.end_line not in (0, call.line) or closing < 0:
        return ""
    missing = max(0, options_index - len(call.args))
    lead = ", " if call.args else ""
    return (raw[:closing] + lead + "undefined, " * missing + "{ " + option + " }" + raw[closing:]).strip()


RULE = Rule("js-missing-timeout", frozenset({"missing-timeout"}), "javascript", check,
            collect=collect, combine=combine)
