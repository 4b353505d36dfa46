"""Missing timeout: an outbound HTTP call (axios, got, fetch, node-fetch, http.request) with no
timeout or abort signal, or an HTTP client built by `axios.create`/`got.extend` without one.

## What it finds
Calls whose options (the object literal the library reads them from) set neither `timeout`
nor `signal`, when the module does not set `axios.defaults.timeout`; calls on axios's default
instance (`axios.get(...)`) when no module of the project sets it (Node loads `axios` once, so
one module's default holds for every file). An options object with
a spread (`{...defaults}`) or passed as a variable counts as possibly bounded.

## Why it matters
Neither axios, got's defaults nor fetch ever give up on a server that accepts the connection
and then stalls. Each stuck call holds the request that made it; under a slow dependency the
service stops answering long before its CPU is busy.

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
variable) is assumed when the options are not an object literal.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript._node import code_line, has_spread, knowledge, location, named_calls
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    """Every call but those on axios's shared default instance (decided in `combine`)."""
    return (f for f in _findings(module, scope) if not _on_default_axios(f.key))


def collect(module: ir.Module, scope: ModuleScope) -> tuple[bool, tuple[Finding, ...]] | None:
    """Whether this file sets `axios.defaults.timeout`, and its calls on the default instance."""
    found = tuple(f for f in _findings(module, scope) if _on_default_axios(f.key))
    return contribution((_sets_axios_default(module, scope), found), (False, ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """`axios.defaults.timeout = 10000` in one module bounds every `axios.get(...)` of the process:
    Node loads a module once, so every file's `axios` is the same default instance."""
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 2]
    if any(sets for sets, _ in facts):
        return
    for _, findings in facts:
        yield from (f for f in findings if settings.enabled(f.concern))


def _on_default_axios(key: str) -> bool:
    name = key.partition("|")[0]
    return name == "axios" or (name.startswith("axios.") and name not in ("axios.create", "axios.request"))


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


def _findings(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge().http_calls
    for named in named_calls(module, scope):
        spec = known.get(named.name)
        if spec is None or spec.options < 0:
            continue
        call = named.call
        if len(call.args) > spec.options:
            options = call.args[spec.options]
            if not isinstance(options, ir.DictExpr) or has_spread(options) or \
                    any(isinstance(k, ir.Const) and k.value in spec.keys for k in options.keys):
                continue  # bounded, or built elsewhere where we cannot see
        elif spec.options == 0 and call.args:
            continue
        client = named.name.endswith((".create", ".extend"))
        what = f"HTTP client built by `{named.name}(...)`" if client else f"`{named.name}(...)`"
        yield make_finding(
            "missing-timeout", location(module, call), f"{what} has no timeout",
            "A server that accepts the connection and then stalls holds this call, and the request waiting on "
            "it, forever: Node HTTP clients have no default timeout.",
            severity=Severity.MEDIUM, confidence=Confidence.HIGH if not client else Confidence.MEDIUM,
            fix=Fix(_advice(named.name), _fixed(module, call, named.name, spec.options), "javascript"),
            rule=RULE.id, key=f"{named.name}|{code_line(module, call.line)}",
        )


def _advice(name: str) -> str:
    if name in ("fetch", "node-fetch", "undici.fetch"):
        return "Abort the request after a deadline with `signal: AbortSignal.timeout(ms)`."
    return "Pass a `timeout` in milliseconds so a stalled server fails this call instead of hanging it."


def _fixed(module: ir.Module, call: ir.Call, name: str, options_index: int) -> str:
    """The call itself with the bound added to its options literal, or options appended."""
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
            requires=("axios", "got", "fetch", "http", "undici"), collect=collect, combine=combine)
