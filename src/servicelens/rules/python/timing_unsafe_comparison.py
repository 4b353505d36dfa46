"""Timing-unsafe comparison: a secret checked with `==` / `!=` instead of a constant-time compare.

## What it finds
Equality tests between a secret a caller presents and one the server holds
(`if request.headers.get("X-Api-Key") == settings.API_KEY`, `if sig != expected_sig` with `sig`
read from a header, `if hmac.new(key, body, sha256).hexdigest() == signature`). Who presents
each side is followed, not guessed from names (rules/python/_presented.py): one side must hand
on what the client sent (a header, cookie, query or form field, the body, a route parameter,
through assignments and calls that keep the content, such as `.get()` or `.strip()`), or be a
parameter that some call in the project fills with such a value, directly or through its
callers' parameters; the other side must not (a setting, a field of a stored record, a digest the
server computed). Two values the server holds (a stored secret against its new version, two
stored copies) and two the client sent (a secret and its re-entry) are not reported.

## Why it matters
`==` on strings stops at the first differing byte, so the response time leaks how many
leading characters of a guess are right. Over many requests (and the network noise
averaged away) an attacker recovers a webhook signature, reset token or API key one byte
at a time instead of brute-forcing the whole value.

## Example
```python
if request.headers.get("X-Signature") != expected_signature:
    abort(401)
```
Use instead:
```python
if not hmac.compare_digest(request.headers.get("X-Signature", ""), expected_signature):
    abort(401)
```

## Fix
Use `hmac.compare_digest(a, b)` (or `secrets.compare_digest`) for every comparison of a
secret, and Django's `constant_time_compare` in Django code.

## Known problems
Secrets are recognised by name (`token`, `signature`, `api_key`, `password_hash`, `*_secret`, the
value of a pydantic `SecretStr` setting read with `.get_secret_value()`,
HMAC digests, and a local every binding of which is a digest call, whatever it is called:
`computed = hmac.new(key, body, sha256).hexdigest()`); a secret in a variable named `value` is missed. Plain-text password comparisons
are left to the weak-password-hash rule. A value is followed through assignments inside a
function and through calls the project resolves (a plain or imported function, `self.method`,
a method on a parameter declared with its class); a function called only from outside the
review, through a callback, or on an object built in the caller is not reported (false
negative in a partial review). A classmethod binds its `cls` however it is called
(`Token.validate(raw)`), a staticmethod nothing; a class a package re-exports from one of its
modules (`from accounts.models import DeviceToken`) is found where it is defined; a local holding a
parameter's content (`parts = raw.split(":")`, then `check(parts[1])`) passes that parameter on.
A lookup keyed by a value (`Report.get(report_id)`) does not hand the value on: only the content
of the function's own names is followed. What a call handed the request object returns
(`get_authorization_header(request)`) counts as presented; a value stored on the request by
middleware (`request.bearer_token`) is not followed. A parameter rebound before the comparison
holds something else from there on, except in the `except` handlers of the `try` whose call would
have rebound it (`api_key = ApiKey.get(api_key)` raised: the name still holds what was passed).

What is compared is checked too: against a kind/type discriminator, a module constant bound to
a literal (in any module of the project: `secret == CENSORED`, `config["SECRET_KEY"] ==
defaults.SECRET_KEY`) (found as calls are, by a dotted suffix too: a review that starts at the
package itself names the module `const` where the code imports `frigate.const`), a class attribute bound only to literals, the presented value's own
digest against the stored one, or a nonce, nothing secret is compared. A parameter typed as a
number (`def release(token: int)`) is a counter compared in one step. A value read from the
caller's own session (`token != session.csrf_token`) is the caller's own secret: timing guesses
against it recover only what the guesser already holds. A value the function also checks
another way (a signed check, or a lookup keyed by it whose miss ends the request) leaks nothing
through `==`. A comparison that ends the request on a mismatch (`if key != EXPECTED_API_KEY: raise`) and
is followed on every path by a signed check of another credential (`jwt.decode(bearer, SECRET)`, a call
named for a signed check and handed two non-literal arguments: `payload.decode("utf-8")` is none) at the
function's top level, or in a `try` each handler of which ends the request too) is reported at low
confidence: the compared secret alone admits no one. A path taken when the two differ (the `!=` branch, or what follows an `if a == b:
return`) that writes one of them (or a value computed from it, or the local it was normalised from:
`compact = reported.replace(":", "").lower()` compared, `device.name = reported` saved) into a
record's field saves a new value: change detection, not a check. A comparison whose result is only written down (a keyword
argument of a call whose result is dropped, as in a log line) gates nothing the caller can time.
A comparison that picks a record out of a collection by one of its fields (`for data in pending:
if data.app_token == app_token:`, `[k for k in keys if k.token == given]`) finds the record by the
value, as a lookup keyed by it would: not reported (one with the element itself, `for api_key in
settings.API_KEYS: if given == api_key`, checks a list of secrets and is). A path taken when the two
differ includes the body of an `and` holding the inequality (`if new.password is not None and
stored.hash != new.hash: stored.hash = new.hash`: change detection). A comparison handed to a query as its criteria (`.filter(Key.api_key == given)`, `.where(...)`, or a
project helper named for filtering: `filter_delete([Token.token == given])`) builds SQL: the database
compares. A comparison of the same two operands inside a branch of an `if` that already compared them
(`if key != expected:` then `log.warning(..., {"match": key == expected})`) knows its outcome: the
first comparison is the one reported. A field the function's own answers hand out is no secret: one
compared where the function returns a helper of its module whose returned dict carries the same field
(`credentials["api_key"] != data["api_key"]` then `return generate_error_response(ref)`, which answers
`{"api_key": credentials["api_key"], ...}`, both `credentials = get_credentials()`).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.rules.python._flow import tested_missing
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.rules.base import Inspects, Rule, all_bodies
from servicelens.rules.python._common import auth_owner, expr_name, is_test_path, location, words
from servicelens.rules.python._presented import (CallSite, call_sites, param_locals, passed_param, presented,
                                                  presented_names, presented_params, signatures)
from servicelens.rules.python._project_calls import CalleeIndex, function_key
from servicelens.rules.python._secret_checks import secret_checks
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

# a nonce is sent in the clear (replay protection, not authentication): comparing one leaks nothing
_SECRET_LAST = frozenset({"token", "signature", "sig", "hmac", "mac", "secret", "apikey"})
_HASHED = frozenset({"hash", "hashed", "digest", "hmac"})
_SECRETISH = frozenset({"password", "passwd", "pwd", "token", "signature", "sig", "secret", "hmac", "mac",
                        "apikey", "key"})
_NOT_SECRET = frozenset({"type", "types", "kind", "name", "count", "len", "length", "id", "ids", "format",
                         "version", "algorithm", "alg", "method", "scheme", "prefix", "header", "url",
                         "etag", "checksum", "cache", "file", "content", "image"})


@dataclass(frozen=True, slots=True)
class Parameter:
    """An operand that is a parameter of the comparing function, never rebound in it: it holds
    what the function's callers pass."""
    function: str  # project-wide key, `module.qualname`
    position: int  # among the function's parameters, `self` included
    name: str


# what an operand is, as far as one file can tell: what the caller presents, what the server holds,
# or a parameter (presented when some project call fills it with a presented value)
PRESENTED_SIDE, HELD_SIDE = "presented", "held"
Side = str | Parameter


@dataclass(frozen=True, slots=True)
class Candidate:
    """A comparison that names another module's value (`secret == CENSORED`,
    `key == defaults.SECRET_KEY`), or compares a parameter: reported once the project shows that
    value is not a published constant, and that exactly one side is presented by a caller."""
    finding: Finding
    operands: tuple[str, ...]  # project-wide dotted names of the operands from other modules
    sides: tuple[Side, Side] = (PRESENTED_SIDE, HELD_SIDE)


@dataclass(frozen=True, slots=True)
class TimingFacts:
    module: str
    constants: frozenset[str]  # this module's names bound to a literal
    candidates: tuple[Candidate, ...]
    calls: tuple[CallSite, ...] = ()
    signatures: tuple[tuple[str, tuple[str, ...]], ...] = ()


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    for finding, operands, sides in _shared_comparisons(module, scope):
        if not operands and _verdict(sides, frozenset()):
            yield finding


def collect(module: ir.Module, scope: ModuleScope) -> TimingFacts:
    candidates = tuple(Candidate(f, operands, sides) for f, operands, sides in _shared_comparisons(module, scope)
                       if operands or any(isinstance(side, Parameter) for side in sides))
    if is_test_path(module.path):
        return TimingFacts(module.module_name, _literal_constants(module), candidates)
    return TimingFacts(module.module_name, _literal_constants(module), candidates,
                       call_sites(module, scope, file_index(module, scope)), signatures(module, scope))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """Comparisons against a name another module binds to a literal compare with a published
    value (a placeholder, a shipped default): what they leak is already in the source. A
    parameter is presented when a call in the project fills it with what a client sent (directly
    or through its own callers' parameters); the comparison is reported when exactly one side is."""
    facts = [f for f in per_file.values() if isinstance(f, TimingFacts)]
    # matched as calls are (exactly or by a dotted suffix): a review that starts at the package
    # itself names its modules `const`, while the code imports `frigate.const`
    published = CalleeIndex((f"{fact.module}.{name}", True) for fact in facts for name in fact.constants)
    wanted = [c for fact in facts for c in fact.candidates
              if not any(published.key_of(o) is not None for o in c.operands)]
    presented: frozenset[tuple[str, str]] = frozenset()
    if any(isinstance(side, Parameter) for c in wanted for side in c.sides):
        params = {key: names for fact in facts for key, names in fact.signatures}
        presented = presented_params((site for fact in facts for site in fact.calls), params)
    for candidate in wanted:
        if _verdict(candidate.sides, presented):
            yield candidate.finding


def _verdict(sides: tuple[Side, Side], presented: frozenset[tuple[str, str]]) -> bool:
    """Exactly one side is presented by a caller (a parameter counts when some project call fills
    it with a presented value): a secret the server holds checked against a guess."""
    count = sum(1 for side in sides if side == PRESENTED_SIDE
                or (isinstance(side, Parameter) and (side.function, side.name) in presented))
    return count == 1


def _shared_comparisons(module: ir.Module, scope: ModuleScope) \
        -> list[tuple[Finding, tuple[str, ...], tuple[Side, Side]]]:
    return scope.memo("timing-unsafe-comparisons", lambda: list(_comparisons(module, scope)))


def _comparisons(module: ir.Module, scope: ModuleScope) \
        -> Iterator[tuple[Finding, tuple[str, ...], tuple[Side, Side]]]:
    """Each finding, with the operands it names from other modules and what each side holds."""
    if is_test_path(module.path):
        return
    index = file_index(module, scope)
    if not any(len(e.ops) == 1 and e.ops[0] in ("==", "!=") for e in index.of_kind(ir.Compare)):
        return
    constants = _literal_constants(module)
    fields = _class_fields(module, constants, scope)
    disclosures = _answered_values(module, index)
    for function, body in index.bodies_with(ir.Compare, all_bodies(module)):
        if function is not None and function.name in ("__eq__", "__ne__", "__hash__"):
            continue
        equalities = [(stmt, e) for stmt in index.walk_stmts(body) for e in index.stmt_of_kind(stmt, ir.Compare)
                      if len(e.ops) == 1 and e.ops[0] in ("==", "!=")]
        if not equalities:
            continue  # what the function settles, presents and binds matters only to an equality
        parameters = _unbound_params(function, scope)
        # a local carries a parameter's value only when there is a parameter to carry
        carried = _param_locals(function, parameters, index) if function is not None and parameters else {}
        names = presented_names(function, scope) if function is not None else frozenset()
        # what each side holds decides first: an equality of two values the server holds is dropped
        # whatever else is true of it, so the function's other facts are laid out only for the rest
        kept = [(stmt, expr, sides) for stmt, expr in equalities
                if _caller_side(sides := (_side(expr.left, names, parameters, carried),
                                          _side(expr.comparators[0], names, parameters, carried)))]
        if not kept:
            continue
        settled = _settled_elsewhere(body, index) if function is not None else {}
        numeric = _numeric_params(function)
        own = fields.get(function.qualname, _NO_FIELDS) if function is not None else _NO_FIELDS
        after = _followers(body)
        derived = _derived_from(body)
        searched = _searches(body, index) | _repeated(body, index) | _disclosed(function, body, disclosures, index)
        session_locals = _session_locals(body, index, scope)
        digests = _digest_locals(body, index)
        second = _second_factors(body, index) if function is not None else ()
        by_stmt: dict[int, tuple[ir.Stmt, list[tuple[ir.Compare, tuple[Side, Side]]]]] = {}
        for stmt, expr, sides in kept:
            by_stmt.setdefault(id(stmt), (stmt, []))[1].append((expr, sides))
        for stmt, compares in by_stmt.values():
            ignored = _query_criteria(list(index.stmt_nodes(stmt))) | _recorded_only(stmt)
            for expr, sides in compares:
                if id(expr) in ignored or id(expr) in searched or _names_constant(expr, constants) or own.literal(expr) \
                        or _settled(expr, settled) or _numeric(expr, numeric) or _callers_own(expr, scope, session_locals) \
                        or _stores_new_value(stmt, expr, after, derived):
                    continue
                finding = _judge(module, expr, module.line_text(expr.line), digests,
                                 _guards_second_factor(stmt, expr, body, second))
                if finding is not None:
                    yield finding, _imported_operands(expr, scope) + own.aliases(expr), sides


def _caller_side(sides: tuple[Side, Side]) -> bool:
    """Can a caller time this equality: one side presented, or a parameter a caller may fill?"""
    return PRESENTED_SIDE in sides or any(isinstance(side, Parameter) for side in sides)


def _side(expr: ir.Expr, names: frozenset[str], parameters: Mapping[str, tuple[Parameter, Rebinding]],
          carried: Mapping[str, str] | None = None) -> Side:
    if presented(expr, names):
        return PRESENTED_SIDE
    unbound = frozenset(name for name, (_, rebound) in parameters.items() if rebound.holds_at(expr.line))
    passed = passed_param(expr, unbound)
    if not passed and carried:
        local = passed_param(expr, frozenset(carried))
        passed = carried[local] if local and carried[local] in unbound else ""
    return parameters[passed][0] if passed else HELD_SIDE


def _param_locals(function: ir.Function, parameters: Mapping[str, tuple[Parameter, Rebinding]],
                  index: FileIndex | None = None) -> dict[str, str]:
    return param_locals(function, frozenset(parameters), index)


@dataclass(frozen=True, slots=True)
class Rebinding:
    """Where a parameter is bound anew: the lines of its rebinding statements, each with the line
    spans of the `except` handlers that still see the value passed in (the rebinding is a call in
    their `try` body: when the call raised, the name was never rebound)."""
    lines: tuple[tuple[int, tuple[tuple[int, int], ...]], ...] = ()

    def holds_at(self, line: int) -> bool:
        """Does the name still hold what the callers passed at `line`, on some path?"""
        return all(any(start <= line <= end for start, end in escapes) for at, escapes in self.lines if at <= line)


def _unbound_params(function: ir.Function | None, scope: ModuleScope) -> dict[str, tuple[Parameter, Rebinding]]:
    """The function's parameters by name, each with where it is rebound: before the first rebinding
    (or in a handler of the `try` whose call would have rebound it) the name holds what the callers passed."""
    if function is None or function.parent is not None:
        return {}
    escapes: dict[int, tuple[tuple[int, int], ...]] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Try) and stmt.handlers:
            spans = tuple((h.line, h.end_line) for h in stmt.handlers)
            for inner in ir.walk_stmts(stmt.body):
                if isinstance(inner, ir.Assign) and inner.value is not None \
                        and any(isinstance(n, ir.Call) for n in ir.walk_expr(inner.value)):
                    escapes[id(inner)] = escapes.get(id(inner), ()) + spans
    lines: dict[str, list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
    for stmt in ir.walk_stmts(function.body):
        for name in ir.assigned_names((stmt,)):
            lines.setdefault(name, []).append((stmt.line, escapes.get(id(stmt), ())))
    key = function_key(scope, function)
    return {p.name: (Parameter(key, i, p.name), Rebinding(tuple(lines.get(p.name, ())))) for i, p in enumerate(function.params)
            if p.kind == "positional" and p.name not in ("self", "cls")}


_SESSION_MODULES = secret_checks().caller_session_modules  # models/vocabulary/secret_checks.yaml


def _callers_own(expr: ir.Compare, scope: ModuleScope, session_locals: frozenset[str] = frozenset()) -> bool:
    """One side is read from the caller's own session (`token != session.csrf_token`,
    `request.session["oauth_state"] == state`, or a local every assignment of which reads it:
    `expected = session[CSRF_KEY]`): a guess timed against it can only recover the guesser's own
    value. To time another user's token the attacker must make that user's browser send the
    guesses, and cannot see those responses."""
    return any(_session_value(side, scope) or (isinstance(side, ir.Name) and side.id in session_locals)
               for side in (expr.left, expr.comparators[0]))


def _session_locals(body: tuple[ir.Stmt, ...], index, scope: ModuleScope) -> frozenset[str]:  # noqa: ANN001
    """Local names bound only to values read from the caller's session."""
    from_session: set[str] = set()
    other: set[str] = set()
    for stmt in index.walk_stmts(body):
        if not isinstance(stmt, ir.Assign):
            continue
        for target in stmt.targets:
            if isinstance(target, ir.Name):
                reads_session = stmt.value is not None and _session_value(stmt.value, scope)
                (from_session if reads_session else other).add(target.id)
    return frozenset(from_session - other)


def _session_value(expr: ir.Expr, scope: ModuleScope) -> bool:
    node = expr
    while isinstance(node, ir.Attr | ir.Subscript | ir.Call):
        if isinstance(node, ir.Call):
            if not (isinstance(node.func, ir.Attr) and node.func.attr in ("get", "pop")):
                return False
            node = node.func.value
            continue
        if isinstance(node, ir.Attr) and node.attr == "session" and isinstance(node.value, ir.Name | ir.Attr):
            return True  # request.session / self.request.session: the framework's per-caller store
        node = node.value
    if not isinstance(node, ir.Name) or node is expr:
        return False
    imported = scope.imports.get(node.id, "")
    if imported:
        return imported.startswith(_SESSION_MODULES) and imported.endswith("session")
    return bool(words(node.id)) and words(node.id)[-1] == "session"


_NUMERIC = frozenset({"int", "float", "bool"})


def _numeric_params(function: ir.Function | None) -> frozenset[str]:
    """Parameters typed as numbers (`token: int`): a sequence number or counter, compared in one
    machine step, not a string compared byte by byte."""
    if function is None:
        return frozenset()
    return frozenset(p.name for p in function.params
                     if p.annotation is not None and (ir.dotted_name(p.annotation) or "") in _NUMERIC)


def _numeric(expr: ir.Compare, numeric: frozenset[str]) -> bool:
    return any(isinstance(side, ir.Name) and side.id in numeric for side in (expr.left, expr.comparators[0]))


def _imported_operands(expr: ir.Compare, scope: ModuleScope) -> tuple[str, ...]:
    """`CENSORED` imported from `app.utils` -> `app.utils.CENSORED`; `defaults.SECRET_KEY` with
    `defaults` an imported module -> `<module>.SECRET_KEY`."""
    out = []
    for side in (expr.left, expr.comparators[0]):
        dotted = ir.dotted_name(side) if isinstance(side, ir.Name | ir.Attr) else None
        if not dotted:
            continue
        head, _, rest = dotted.partition(".")
        target = scope.imports.get(head)
        if target:
            out.append(f"{target}.{rest}" if rest else target)
    return tuple(out)


_VERIFY_CALLS = secret_checks().signed_checks  # models/vocabulary/secret_checks.yaml


def _settled_elsewhere(body: tuple[ir.Stmt, ...], index) -> dict[str, int]:  # noqa: ANN001
    """Names whose secret check the function makes another way, with the line it happens at: a
    signed check of the same value (`signer.unsign(token)`, `check_token(user, token)`), or a
    lookup keyed by it whose miss ends the request (`project = by_api_key(key)` then `if project
    is None: return 401`). An `==` on such a value leaks nothing the other check does not guard."""
    settled: dict[str, int] = {}
    looked_up: dict[str, tuple[str, int]] = {}
    for stmt in index.walk_stmts(body):
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr | ir.Name):
                name = node.func.attr if isinstance(node.func, ir.Attr) else node.func.id
                if name in _VERIFY_CALLS:
                    for arg in node.args:
                        if isinstance(arg, ir.Name):
                            settled.setdefault(arg.id, 0)  # anywhere in the function
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and isinstance(stmt.value, (ir.Call, ir.Await)):
            call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(call, ir.Call):
                for arg in [*call.args, *(kw.value for kw in call.kwargs)]:
                    if isinstance(arg, ir.Name):
                        looked_up[stmt.targets[0].id] = (arg.id, stmt.line)
        if isinstance(stmt, ir.If) and _exits(stmt.body):
            missing = tested_missing(stmt.test)
            if missing in looked_up:
                settled.setdefault(looked_up[missing][0], stmt.line)
    return settled



def _second_factors(body: tuple[ir.Stmt, ...], index) -> tuple[int, ...]:  # noqa: ANN001
    """Lines of the function's top-level statements (or of the top-level body of a top-level `try`)
    that make a signed check of a value (`jwt.decode(token, SECRET)`, `signer.unsign(cookie)`): every
    path that goes on past an earlier statement of the function reaches them."""
    found: list[int] = []
    for stmt in body:
        # a `try` counts when each of its handlers ends the request too (a swallowed failure is no check)
        guarded = isinstance(stmt, ir.Try) and all(_exits(handler.body) for handler in stmt.handlers)
        for part in (stmt.body if guarded else () if isinstance(stmt, ir.Try) else (stmt,)):
            if isinstance(part, ir.If | ir.For | ir.While | ir.Try | ir.With):
                continue  # a branch or a loop may skip the check
            if any(_signed_check(node) for node in index.stmt_nodes(part)):
                found.append(part.line)
    return tuple(found)


def _signed_check(node: ir.Expr) -> bool:
    """A call named for a signed check that is handed the value and what checks it (`jwt.decode(token,
    SECRET)`, `check_token(user, token)`): two arguments at least that are not literals. The same names
    read other things with one (`payload.decode("utf-8")`, `json.loads(body)`): no key, no check."""
    if not isinstance(node, ir.Call) or _last_name(node.func) not in _VERIFY_CALLS:
        return False
    values = [*node.args, *(keyword.value for keyword in node.kwargs)]
    return sum(1 for value in values if not isinstance(value, ir.Const | ir.Seq | ir.DictExpr)) >= 2


def _last_name(func: ir.Expr) -> str:
    return func.attr if isinstance(func, ir.Attr) else func.id if isinstance(func, ir.Name) else ""


def _guards_second_factor(stmt: ir.Stmt, expr: ir.Compare, body: tuple[ir.Stmt, ...], second: tuple[int, ...]) -> bool:
    """The comparison is a top-level `if a != b: raise/return` and a signed check of another value
    follows it on every path: the caller must also hold a credential the server signed
    (`api_key != EXPECTED` then `jwt.decode(bearer, SECRET)`), so the compared secret alone admits
    no one and a timing guess at it gains an attacker little. Graded, not dropped: the secret is
    still compared in variable time."""
    return expr.ops[0] == "!=" and isinstance(stmt, ir.If) and stmt.test is expr and _exits(stmt.body) \
        and any(stmt is top for top in body) and any(line > stmt.line for line in second)


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    return bool(body) and isinstance(body[-1], (ir.Return, ir.Raise))


def _settled(expr: ir.Compare, settled: dict[str, int]) -> bool:
    return any(isinstance(side, ir.Name) and side.id in settled and expr.line > settled[side.id]
               for side in (expr.left, expr.comparators[0]))


def _literal_constants(module: ir.Module) -> frozenset[str]:
    """Module-level names bound to a literal (`CENSORED = "__CENSORED__"`): a published
    placeholder or marker, not a secret being checked."""
    return frozenset(t.id for stmt in module.body if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const)
                     for t in stmt.targets if isinstance(t, ir.Name))


def _names_constant(expr: ir.Compare, constants: frozenset[str]) -> bool:
    return any(isinstance(side, ir.Name) and side.id in constants for side in (expr.left, expr.comparators[0]))


@dataclass(frozen=True, slots=True)
class ClassFields:
    """A class's attributes that only ever hold a published value, bound (in the class body, or as
    `self.x = ...` in any of its methods) only to literals or this module's literal constants
    (`published`), or only to one imported name (`imported`: decided project-wide by `combine`)."""
    published: frozenset[str] = frozenset()
    imported: tuple[tuple[str, str], ...] = ()  # (attribute, dotted name it is bound to)

    def literal(self, expr: ir.Compare) -> bool:
        return any(_self_field(side) in self.published for side in (expr.left, expr.comparators[0]))

    def aliases(self, expr: ir.Compare) -> tuple[str, ...]:
        names = {_self_field(side) for side in (expr.left, expr.comparators[0])}
        return tuple(target for attr, target in self.imported if attr in names)


_NO_FIELDS = ClassFields()


def _class_fields(module: ir.Module, constants: frozenset[str], scope: ModuleScope) -> dict[str, ClassFields]:
    """Each method's class's published attributes (`self.empty_marker = "#{empty}#"` in
    `__init__`, `_saved_mark = SAVED_MARK` in the class body): comparing a value with one is a
    marker check, as with a module constant."""
    methods = {f.qualname: f for f in module.functions}
    out: dict[str, ClassFields] = {}
    for cls in module.classes:
        bound: dict[str, list[ir.Expr | None]] = {}
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        bound.setdefault(target.id, []).append(stmt.value if stmt.op is None else None)
        for qualname in cls.methods:
            method = methods.get(qualname)
            for stmt in ir.walk_stmts(method.body) if method is not None else ():
                if isinstance(stmt, ir.Assign) and stmt.value is not None:
                    for target in stmt.targets:
                        for node in ir.walk_expr(target):
                            attr = _self_field(node)
                            if attr is not None:  # in a tuple target or augmented: not one known value
                                single = stmt.op is None and node is target
                                bound.setdefault(attr, []).append(stmt.value if single else None)
        published = frozenset(attr for attr, values in bound.items() if all(
            isinstance(v, ir.Const) or (isinstance(v, ir.Name) and v.id in constants) for v in values))
        imported = tuple(sorted((attr, scope.imports[values[0].id]) for attr, values in bound.items()
                                if isinstance(values[0], ir.Name) and values[0].id in scope.imports
                                and all(isinstance(v, ir.Name) and v.id == values[0].id for v in values)))
        if published or imported:
            fields = ClassFields(published, imported)
            out.update((qualname, fields) for qualname in cls.methods)
    return out


def _self_field(expr: ir.Expr | None) -> str | None:
    """`self.name` / `cls.name` -> "name"."""
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id in ("self", "cls"):
        return expr.attr
    return None


def _stores_new_value(stmt: ir.Stmt, expr: ir.Compare, after: Mapping[int, tuple[ir.Stmt, ...]],
                      derived: Mapping[str, frozenset[str]]) -> bool:
    """`if stored_key != update["api_key"]: record.api_key_enc = encrypt(update["api_key"])`, or
    `if token == self.token and host == self.host: return` followed by `self.token = token`: the
    path taken when the two differ writes one of them (or what it computes from it, or the value
    it was normalised from: `normalized = name.lower()` compared, `device.name = name` saved) into a
    record's field, so the comparison decides whether to save a new value, not whether to let a
    caller in (a check refuses on that path instead). Change detection, whatever the names."""
    if not isinstance(stmt, ir.If) or not _tested_by(stmt.test, expr):
        return False
    if expr.ops[0] == "!=":
        path = stmt.body
    else:  # equal: the else branch, and what follows the `if` when its body leaves
        last = stmt.body[-1] if stmt.body else None
        exits = isinstance(last, (ir.Return, ir.Raise)) or (isinstance(last, ir.Jump) and last.kind != "pass")
        path = stmt.orelse + (after.get(id(stmt), ()) if exits else ())
    assigns = [s for s in ir.walk_stmts(path) if isinstance(s, ir.Assign) and s.value is not None]
    operands = [key for key in map(_operand_key, (expr.left, expr.comparators[0])) if key]
    for key in dict.fromkeys(operands + [source for key in operands for source in sorted(derived.get(key, ()))]):
        held: set[str] = set()
        for _ in range(2):  # a value computed late in the branch reaches a store after it
            held.update(t.id for s in assigns if _carries(s.value, key, held) for t in s.targets
                        if isinstance(t, ir.Name))
        if any(_carries(s.value, key, held) and any(isinstance(t, (ir.Attr, ir.Subscript)) for t in s.targets)
               for s in assigns):
            return True
    return False


def _derived_from(body: tuple[ir.Stmt, ...]) -> dict[str, frozenset[str]]:
    """For each local a plain assignment binds by normalising another local through a method chain
    (`normalized = name.replace(":", "").lower()` -> {"name"}), the local it normalises. Only locals:
    a parameter or an attribute (`request.headers`) stands for far more than the one value."""
    chains: dict[str, set[str]] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            root = stmt.value
            while isinstance(root, ir.Call) and isinstance(root.func, ir.Attr):
                root = root.func.value
            chains.setdefault(stmt.targets[0].id, set())
            if root is not stmt.value and isinstance(root, ir.Name):
                chains[stmt.targets[0].id].add(root.id)
    return {name: frozenset(roots & chains.keys() - {name}) for name, roots in chains.items() if roots & chains.keys()}


def _tested_by(test: ir.Expr, expr: ir.Compare) -> bool:
    """`expr` decides the test: it is the test, or one of an `and` of equalities (all must hold
    for "equal") or an `or` of inequalities (any one makes "differ")."""
    if test is expr:
        return True
    # "differ" holds on the body of an `or` of inequalities (any one differs) and of an `and` with one
    # (`if new.password is not None and stored.hash != new.hash:`: it differs, and the rest holds)
    wanted = ("and",) if expr.ops[0] == "==" else ("or", "and")
    return isinstance(test, ir.BoolOp) and test.op in wanted and any(value is expr for value in test.values)


def _followers(body: tuple[ir.Stmt, ...]) -> dict[int, tuple[ir.Stmt, ...]]:
    """Each statement's later siblings in its block, for every block of `body`."""
    out: dict[int, tuple[ir.Stmt, ...]] = {}
    for i, stmt in enumerate(body):
        out[id(stmt)] = body[i + 1:]
        blocks: list[tuple[ir.Stmt, ...]] = [getattr(stmt, name) for name in ("body", "orelse", "finalbody")
                                             if isinstance(getattr(stmt, name, None), tuple)]
        blocks += [handler.body for handler in getattr(stmt, "handlers", ())]
        for block in blocks:
            out.update(_followers(block))
    return out


def _carries(value: ir.Expr | None, key: str, held: set[str]) -> bool:
    """Does `value` read the operand named `key`, or a local computed from it?"""
    return value is not None and any((isinstance(n, ir.Name) and n.id in held) or _operand_key(n) == key
                                     for n in ir.walk_expr(value))


def _operand_key(expr: ir.Expr) -> str:
    """`update.api_key`, `update_data["api_key"]`: a name for an operand that can be matched where
    it is read again; "" for anything else."""
    if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        base = ir.dotted_name(expr.value)
        return f"{base}[{expr.index.value!r}]" if base else ""
    return ir.dotted_name(expr) or "" if isinstance(expr, (ir.Name, ir.Attr)) else ""


def _searches(body: tuple[ir.Stmt, ...], index) -> set[int]:  # noqa: ANN001
    """Comparisons that pick a record out of a collection by one of its fields (`for data in
    pending: if data.app_token == app_token: ...`, `[k for k in keys if k.token == given]`): the
    record is found by the value, as a lookup keyed by it would find it, so what the comparison
    tells is which record there is, not how much of a secret a guess got right. A comparison with
    the element itself (`for key in settings.API_KEYS: if key == given`) checks a list of secrets and
    stays."""
    found: set[int] = set()
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.For):
            element = frozenset(n.id for n in ir.walk_expr(stmt.target) if isinstance(n, ir.Name))
            tests = [s.test for s in ir.walk_stmts(stmt.body) if isinstance(s, ir.If)]
            found.update(_field_matches(tests, element))
        for node in index.stmt_nodes(stmt):
            if isinstance(node, ir.Comprehension):
                element = frozenset(n.id for target in node.targets for n in ir.walk_expr(target)
                                    if isinstance(n, ir.Name))
                found.update(_field_matches(node.conds, element))
    return found


def _repeated(body: tuple[ir.Stmt, ...], index) -> set[int]:  # noqa: ANN001
    """Comparisons of the same two operands inside a branch of an `if` that already compared them
    (`if key != expected:` then, to log the failure, `{"match": key == expected}`): the outcome is
    known there, so the repeat times nothing the first did not; the first is the one reported."""
    found: set[int] = set()
    for stmt in index.walk_stmts(body):
        if not isinstance(stmt, ir.If):
            continue
        decided = {pair for node in ir.walk_expr(stmt.test) if (pair := _compared_pair(node))}
        if not decided:
            continue
        for inner in ir.walk_stmts(stmt.body + stmt.orelse):
            found.update(id(node) for expr in ir.stmt_exprs(inner) for node in ir.walk_expr(expr)
                         if _compared_pair(node) in decided)
    return found


def _answered_values(module: ir.Module, index) -> dict[str, frozenset[tuple[str, str]]]:  # noqa: ANN001
    """Per function of the module (by name): the fields it puts into the dict it returns, by where they
    were read (`("get_credentials", "api_key")` for `{"api_key": credentials["api_key"]}` with
    `credentials = get_credentials()`): what a response built by it tells every caller."""
    found: dict[str, frozenset[tuple[str, str]]] = {}
    for function in module.functions:
        if function.class_name or function.parent:
            continue
        sources = _bound_calls(function.body, index)
        fields = {field for stmt in index.walk_stmts(function.body) if isinstance(stmt, ir.Return)
                  and isinstance(stmt.value, ir.DictExpr) for value in stmt.value.values
                  if (field := _read_field(value, sources))}
        if fields:
            found[function.name] = frozenset(fields)
    return found


def _disclosed(function: ir.Function | None, body: tuple[ir.Stmt, ...],
               disclosures: Mapping[str, frozenset[tuple[str, str]]], index) -> set[int]:  # noqa: ANN001
    """Comparisons with a field the function's own answers disclose: it returns a function of the module
    whose returned dict carries that field (`return generate_error_response(ref)`, which answers
    `{"api_key": credentials["api_key"], ...}`). A value every response hands out is no secret."""
    if function is None or not disclosures:
        return set()
    answered = {field for stmt in index.walk_stmts(body) if isinstance(stmt, ir.Return)
                and isinstance(stmt.value, ir.Call) for field in disclosures.get(ir.dotted_name(stmt.value.func) or "", ())}
    if not answered:
        return set()
    sources = _bound_calls(body, index)
    return {id(node) for stmt in index.walk_stmts(body) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr)
            if isinstance(node, ir.Compare) and any(_read_field(side, sources) in answered
                                                     for side in (node.left, *node.comparators))}


def _bound_calls(body: tuple[ir.Stmt, ...], index) -> dict[str, str]:  # noqa: ANN001
    """Locals bound once, to a call (`credentials = get_credentials()`), with the callee's dotted name."""
    bound: dict[str, str] = {}
    seen: set[str] = set()
    for stmt in index.walk_stmts(body):
        for name in ir.assigned_names((stmt,)):
            value = stmt.value if isinstance(stmt, ir.Assign) else None
            single = isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)
            callee = ir.dotted_name(value.func) if single and isinstance(value, ir.Call) else None
            if name in seen or not callee:
                bound.pop(name, None)
            else:
                bound[name] = callee
            seen.add(name)
    return bound


def _read_field(expr: ir.Expr, sources: Mapping[str, str]) -> tuple[str, str] | None:
    """`credentials["api_key"]` with `credentials` bound to `get_credentials()`: ("get_credentials", "api_key")."""
    if isinstance(expr, ir.Subscript) and isinstance(expr.value, ir.Name) and expr.value.id in sources \
            and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        return sources[expr.value.id], expr.index.value
    return None


def _compared_pair(node: ir.Expr) -> frozenset[str] | None:
    """The two operands of an equality, by name (`api_key`, `settings.KEY`, `data["key"]`), in either order."""
    if not isinstance(node, ir.Compare) or len(node.ops) != 1 or node.ops[0] not in ("==", "!="):
        return None
    left, right = _operand_key(node.left), _operand_key(node.comparators[0])
    return frozenset((left, right)) if left and right and left != right else None


def _field_matches(tests: Iterable[ir.Expr], element: frozenset[str]) -> Iterator[int]:
    """The equalities in `tests` of a field of the element with a value that does not read it."""
    for test in tests:
        for node in ir.walk_expr(test):
            if isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in ("==", "!="):
                sides = (node.left, node.comparators[0])
                fields = [isinstance(side, ir.Attr | ir.Subscript) and _root(side) in element for side in sides]
                reads = [any(isinstance(n, ir.Name) and n.id in element for n in ir.walk_expr(side)) for side in sides]
                if fields.count(True) == 1 and reads.count(True) == 1:
                    yield id(node)


def _root(expr: ir.Expr) -> str:
    while isinstance(expr, ir.Attr | ir.Subscript):
        expr = expr.value
    return expr.id if isinstance(expr, ir.Name) else ""


_QUERY_METHODS = frozenset({"filter", "filter_by", "where", "having", "and_", "or_", "not_", "join",
                            "outerjoin", "exclude", "get_or_none", "one_or_none"})
_QUERY_WORDS = frozenset({"filter", "where", "having", "exclude"})


def _query_criteria(exprs: list[ir.Expr]) -> set[int]:
    """Comparisons that build a query (`Key.query.filter(Key.api_key == given)`): the database
    compares, so no time is leaked by Python string equality."""
    found: set[int] = set()
    for expr in exprs:
        if not isinstance(expr, ir.Call):
            continue
        method = (expr.func.attr if isinstance(expr.func, ir.Attr) else ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1]
        # a project's own query helper named for what it does (`filter_delete([Token.token == t])`,
        # `get_by_where(...)`) hands its criteria to the same query builder
        if method in _QUERY_METHODS or any(word in _QUERY_WORDS for word in method.lower().split("_")):
            for arg in expr.args:
                found.update(id(e) for e in ir.walk_expr(arg) if isinstance(e, ir.Compare))
    return found


def _recorded_only(stmt: ir.Stmt) -> set[int]:
    """Comparisons whose result is only written down: a keyword argument of a call whose own
    result is dropped (`log.info("webhook", valid_signature=sig == expected)`). Nothing the
    caller can observe waits on the outcome, so a guess that times it right unlocks nothing."""
    if not isinstance(stmt, ir.ExprStmt):
        return set()
    call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if not isinstance(call, ir.Call):
        return set()
    return {id(e) for keyword in call.kwargs if keyword.name is not None
            for e in ir.walk_expr(keyword.value) if isinstance(e, ir.Compare)}


def _judge(module: ir.Module, expr: ir.Compare, source: str,
           digests: Mapping[str, str] | None = None, second_factor: bool = False) -> Finding | None:
    left, right = expr.left, expr.comparators[0]
    if _trivial(left) or _trivial(right):
        return None
    left_kind, right_kind = _kind(left, digests or {}), _kind(right, digests or {})
    if left_kind is None and right_kind is None:
        return None
    if "plain-password" in (left_kind, right_kind):
        return None  # plain-text password comparison: weak-password-hash reports it
    if left_kind == right_kind == "digest":
        return None  # two plain hashes of data (`blake2b(a) == blake2b(b)`): a content check, nothing secret
    if _is_discriminator(left) or _is_discriminator(right):
        return None  # `token_type == TokenType.client_secret`: which kind, not which secret
    if "secret hash" in (left_kind, right_kind) and "HMAC digest" not in (left_kind, right_kind):
        # the presented value's digest against the stored one: the caller chose the input, not the
        # digest's bytes, so a timing leak of the digest does not help guess the secret
        return None
    strong = left_kind is not None and right_kind is not None
    what = next(k for k in (left_kind, right_kind) if k is not None)
    if not strong and what in ("digest", "token", "nonce"):
        # a plain hash against a non-secret is a checksum/ETag check, and `token` alone is too often a
        # public identifier (checkout.token) or a value from an already verified JWT
        return None
    # a second, signed credential required after it: real but minor, below what names alone tell
    confidence = Confidence.LOW if second_factor else Confidence.HIGH if strong else Confidence.MEDIUM
    title = f"{what[0].upper() + what[1:]} compared with {expr.ops[0]} (timing-unsafe)"
    negate = expr.ops[0] == "!="
    return make_finding(
        "timing-unsafe-comparison", location(module, expr),
        title if strong else f"Probable timing-unsafe comparison of a {what}",
        f"`{expr.ops[0]}` stops at the first differing character, so response times leak how much of a guessed "
        f"{what} is right; an attacker can recover it byte by byte instead of guessing it whole."
        + (" A signed credential is checked after it, so this secret alone does not admit the caller."
           if second_factor else ""),
        confidence=confidence,
        fix=Fix("Compare secrets in constant time with hmac.compare_digest (Django: "
                "django.utils.crypto.constant_time_compare).", _fix_code(source, negate), "python"),
        rule=RULE.id, key=what,
    )


def _kind(expr: ir.Expr, digests: Mapping[str, str]) -> str | None:
    """What the operand holds: by what it is (a digest call, or a local bound only to one:
    `expected = hmac.new(key, body, sha256).hexdigest()`), else by its name."""
    if isinstance(expr, ir.Name) and expr.id in digests:
        return digests[expr.id]
    return _secret_kind(expr)


def _digest_locals(body: tuple[ir.Stmt, ...], index) -> dict[str, str]:  # noqa: ANN001
    """Locals every binding of which in this body is a digest call (`hmac.new(...).hexdigest()`,
    `hashlib.sha256(x).hexdigest()`), with the digest's kind: a value is what it was computed as,
    whatever it is called (`expected`, `computed`, `mac`)."""
    kinds: dict[str, set[str | None]] = {}
    for stmt in index.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    value = stmt.value
                    digest = isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) \
                        and value.func.attr in ("hexdigest", "digest")
                    kinds.setdefault(target.id, set()).add(_secret_kind(value) if digest else None)
    return {name: next(iter(found)) for name, found in kinds.items()  # type: ignore[misc]
            if len(found) == 1 and None not in found}


def _trivial(expr: ir.Expr) -> bool:
    """Literals, None and lengths: comparing a secret with these leaks nothing."""
    if isinstance(expr, (ir.Const, ir.Seq, ir.DictExpr)):
        return True
    if isinstance(expr, ir.Call):
        func = ir.dotted_name(expr.func) or ""
        return func in ("len", "type", "bool", "int", "isinstance", "str.lower") or func.endswith(
            (".count", ".lower_bound"))
    return False


def _is_discriminator(expr: ir.Expr) -> bool:
    """An operand named as a kind, type or format: the comparison picks a branch by category."""
    name = expr_name(expr)
    parts = words(name or "")
    return bool(parts) and parts[-1] in ("type", "types", "kind", "format", "scheme", "method", "algorithm", "alg",
                                         "mode", "grant", "flow", "source", "provider")


# what reads the value out of a secret holder (pydantic `SecretStr`/`SecretBytes`)
_SECRET_ACCESSORS = secret_checks().secret_accessors


def _secret_kind(expr: ir.Expr) -> str | None:
    """'signature', 'token', 'password hash', ... for an operand that holds a secret."""
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _SECRET_ACCESSORS \
            and not expr.args:
        # pydantic's `SecretStr.get_secret_value()` / `SecretBytes`: the value the settings declared
        # secret, named by its field (`carrier_webhook_token`) or, whatever its name, a secret
        return _secret_kind(expr.func.value) or "secret"
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in ("hexdigest", "digest"):
        inner = ir.dotted_name(expr.func.value.func) if isinstance(expr.func.value, ir.Call) else None
        return "HMAC digest" if inner and "hmac" in inner.lower() else "digest"
    name = expr_name(expr)
    if not name:
        return None
    parts = words(name)
    if "for" in parts[1:]:  # `salt_for_gpg_secret` is a salt: the head noun comes before "for"
        parts = parts[:parts.index("for")]
    if not parts or parts[-1] in _NOT_SECRET:
        return None
    if ("password" in parts or "pwd" in parts or "passwd" in parts) and _HASHED & set(parts):
        return "password hash"
    if parts[-1] in ("password", "passwd", "pwd"):
        return "plain-password"
    if isinstance(expr, ir.Attr) and parts == ["token"] and not auth_owner(expr):
        return None
    if parts[-1] in _SECRET_LAST:
        return {"sig": "signature", "mac": "MAC", "hmac": "HMAC", "apikey": "API key"}.get(parts[-1], parts[-1])
    if len(parts) > 1 and parts[-1] == "key" and parts[-2] in ("api", "secret", "access", "auth", "signing"):
        return "API key" if parts[-2] == "api" else "secret key"
    if parts[-1] in _HASHED and _SECRETISH & set(parts[:-1]):
        return "secret hash"
    return None


def _fix_code(source: str, negate: bool) -> str:
    """The offending line with its `a == b` (wherever it sits: a condition, a return, an argument,
    a conditional expression) replaced by `hmac.compare_digest(a, b)`; a generic example when the
    line is not a statement of its own (a comparison spread over several lines)."""
    line = strip_comment(source).strip()
    colon = line.endswith(":")
    if line.startswith("elif "):
        line = line[2:]  # the branch alone: a snippet must parse on its own
    compare = _line_compare(line + "\n    ..." if colon else line, ast.NotEq if negate else ast.Eq)
    if compare is None:
        return "if not hmac.compare_digest(provided, expected):\n    abort(401)" if negate else \
            "if hmac.compare_digest(provided, expected):\n    ..."
    left, right = (ast.get_source_segment(line, e) for e in (compare.left, compare.comparators[0]))
    start, end = compare.col_offset, compare.end_col_offset or len(line)
    fixed = f"{line[:start]}{'not ' if negate else ''}hmac.compare_digest({left}, {right}){line[end:]}"
    return f"import hmac\n\n{fixed}" + ("\n    ..." if colon else "")


def _line_compare(text: str, op: type[ast.cmpop]) -> ast.Compare | None:
    """The first one-operator `op` comparison on the first line of `text`, if `text` parses."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    return next((node for node in ast.walk(tree) if isinstance(node, ast.Compare) and node.lineno == 1
                 and node.end_lineno == 1 and len(node.ops) == 1 and isinstance(node.ops[0], op)), None)


RULE = Rule("py-timing-unsafe-comparison", frozenset({"timing-unsafe-comparison"}), "python", Inspects((ir.Compare,), check),
            collect=collect, combine=combine)
