"""Broken function-level authorization across layers: the handler checks no role, and the service,
repository or model method it calls does the admin-only work.

## What it finds
A signed-in request handler with no role or permission check (no role decorator, dependency,
permission class, role comparison or 403, in itself or a helper of its module) that calls a project
function, one or more layers down (handler -> service -> repository), which performs an operation
only administrators should (the same operations broken-function-authorization reads in a handler:
writing a privilege field of a user, deleting a user looked up by id, listing every account,
changing a site-wide setting) and checks no role on the way either.

## Why it matters
Teams move the work out of the view into `UserService.set_role(user_id, role)` or
`AccountRepository.remove(user_id)`; the check that decides who may do it has to live somewhere,
and when neither the handler nor the layers below it hold one, any customer with an account can
promote themselves, delete other users or download the user table (OWASP API5).

## Example
```python
@app.put("/users/<int:user_id>/role")
@login_required
def change_role(user_id):
    users.set_role(user_id, request.json["role"])    # UserService: user.role = role; commit()
    return {"ok": True}
```
Use instead:
```python
@app.put("/users/<int:user_id>/role")
@login_required
@admin_required
def change_role(user_id):
    users.set_role(user_id, request.json["role"])
    return {"ok": True}
```

## Fix
Check the caller's role next to the route (a decorator, dependency or permission class), or make
the service take the acting user and refuse (403) unless they hold the role.

## Known problems
Medium confidence. A call that hands the caller to the function (`users.set_role(current_user,
user_id, role)`) is not reported: the callee may check them, and when it does not, the callee is
reported from a handler that does not hand it the caller. Calls are followed where the receiver's
class is known (an import, a declared parameter or attribute, a module-level instance, a local
built from the class); a check made in middleware or in a decorator on the service method counts
only when it names a role. Handlers the per-handler rule already reports are left to it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.analysis.file_index import file_index
from servicelens.rules.base import Ask, Rule, contribution, no_findings
from servicelens.rules.python import _access as access
from servicelens.rules.python import broken_function_authorization as bfla
from servicelens.rules.python._common import is_test_path
from servicelens.rules.python._layers import Relay, first_reaching, on_chains, reached, relays
from servicelens.rules.python._project_calls import callee_name, function_key
from servicelens.taint.scope import ModuleScope

@dataclass(frozen=True, slots=True)
class Effect:
    """A function that performs an admin-only operation and checks no role on the way."""
    key: str
    path: str
    line: int
    what: str
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class HandlerCall:
    """A call from a signed-in handler that checks no role, not handing the caller on."""
    handler: str
    framework: str
    path: str
    line: int
    end_line: int
    callee: str
    def_line: int
    def_text: str
    call_text: str
    fix: Fix


@dataclass(frozen=True, slots=True)
class LayerFacts:
    """First pass: the functions below the handlers (their facts may be asked): the calls they make
    into the project, and the keys of those that make none; and the calls of handlers judged here. Second pass (`revisit`),
    for the functions on a chain: the admin-only work they do and their calls, unless they check
    a role."""
    module: str = ""
    functions: tuple[str, ...] = ()
    effects: tuple[Effect, ...] = ()
    relays: tuple[Relay, ...] = ()
    calls: tuple[HandlerCall, ...] = ()


_NOTHING = LayerFacts()


def collect(module: ir.Module, scope: ModuleScope) -> LayerFacts | None:
    if is_test_path(module.path):
        return None
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> LayerFacts:
    vocab = bfla.access_vocabulary()
    functions = {f.qualname: f for f in module.functions}
    helpers: dict[str, bool] = {}  # a same-module helper's own role check, asked once per file
    keys: list[str] = []
    chains: list[Relay] = []
    calls: list[HandlerCall] = []
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None:
            # what it does and whether it checks a role decide something only on a chain from a
            # handler to admin-only work (on saleor 48 of ~7,000 functions may be): asked of those
            # in `revisit`; who it calls is what finds them
            onward = tuple(relays(scope, function))
            if onward:
                chains.extend(onward)
            else:
                keys.append(function_key(scope, function))
        elif not _checks_role(module, function, handler, functions, helpers, vocab) \
                and _judged_here(module, scope, function, handler, vocab):
            calls.extend(_handler_calls(module, scope, function, handler, vocab))
    if not (keys or chains or calls):
        return _NOTHING
    return LayerFacts(scope.name, tuple(keys), (), tuple(chains), tuple(calls))


def revisit(module: ir.Module, scope: ModuleScope, qualnames: frozenset[str]) -> LayerFacts:
    """The admin-only work and the onward calls of the functions `qualnames` that check no role."""
    vocab = bfla.access_vocabulary()
    functions = {f.qualname: f for f in module.functions}
    helpers: dict[str, bool] = {}
    effects: list[Effect] = []
    chains: list[Relay] = []
    for function in module.functions:
        if function.qualname not in qualnames or function.qualname in scope.handlers:
            continue
        own = tuple(_effects(module, scope, function, vocab))
        onward = tuple(relays(scope, function))
        if (own or onward) and not _checks_role(module, function, None, functions, helpers, vocab):
            effects.extend(own)
            chains.extend(onward)
    return LayerFacts(scope.name, effects=tuple(effects), relays=tuple(chains))


def _checks_role(module: ir.Module, function: ir.Function, handler, functions: dict[str, ir.Function],  # type: ignore[no-untyped-def]
                 helpers: dict[str, bool], vocab: bfla.AccessVocabulary) -> bool:
    """A role guard on the function, a role check in its body or in a helper of its module."""
    cls = access.enclosing_class(module, function)
    # below the handler every parameter may carry the acting user a role check would read
    principals = access.principal_names(function, handler) | ({p.name for p in function.params
                                                                 if p.name not in ("self", "cls")}
                                                                if handler is None else set())
    return bfla._guarded(function, cls, vocab, module) or bfla._checks_in_body(function, principals, vocab) \
        or bfla._helper_checks(function, functions, vocab, helpers)


def _effects(module: ir.Module, scope: ModuleScope, function: ir.Function,
             vocab: bfla.AccessVocabulary) -> Iterator[Effect]:
    """The function's own admin-only operations. Its parameters are whoever called it: the user it
    changes is chosen by them, so none of them is taken for the caller."""
    for action in bfla._actions(function, set(), vocab):
        yield Effect(function_key(scope, function), module.path, action.line, action.what, action.kind,
                     function.qualname)
        return


def _judged_here(module: ir.Module, scope: ModuleScope, function: ir.Function, handler,  # type: ignore[no-untyped-def]
                 vocab: bfla.AccessVocabulary) -> bool:
    """A signed-in handler outside back-office areas that the per-handler rule does not already
    report (its own actions) and that judges no role itself."""
    if access.in_admin_area(module.path, handler.path):
        return False
    principals = bfla._principals(function, handler)
    signed_in = handler.auth == "required" or bfla._project_decorated(function, module, scope) \
        or bool(principals) or bfla._mentions_caller(function)
    if not signed_in or bfla._configured_project_decorator(function, module, scope):
        return False
    return not list(bfla._actions(function, principals, vocab)) \
        and not list(bfla._named_privilege_change(function, handler, vocab))


def _handler_calls(module: ir.Module, scope: ModuleScope, function: ir.Function, handler,  # type: ignore[no-untyped-def]
                   vocab: bfla.AccessVocabulary) -> Iterator[HandlerCall]:
    principals = bfla._principals(function, handler)
    fix = bfla._fix(module, scope, function, handler)
    for call in file_index(module, scope).block_of_kind(function.body, ir.Call):
        if bfla._hands_caller(call, principals):
            continue  # the caller is handed on: the callee may judge them
        name = _callee(call, scope, function)
        if name is not None:
            yield HandlerCall(function.qualname, handler.framework, module.path, call.line, call.end_line or call.line,
                              name, function.line, module.line_text(function.line), module.line_text(call.line), fix)


def _functions(facts: LayerFacts) -> Iterator[str]:
    """The keys of every function below the handlers of the file."""
    yield from facts.functions
    yield from dict.fromkeys(relay.key for relay in facts.relays)


def _callee(call: ir.Call, scope: ModuleScope, function: ir.Function) -> str | None:
    found = callee_name(call, scope, function)
    return found[0] if found is not None else None


def combine(per_file: Mapping[str, object], settings: Settings, ask: Ask) -> Iterable[Finding]:
    facts = {rel: f for rel, f in per_file.items() if isinstance(f, LayerFacts)}
    calls = [call for fact in facts.values() for call in fact.calls]
    if not calls:
        return
    wanted = on_chains((key for f in facts.values() for key in _functions(f)),
                       (relay for f in facts.values() for relay in f.relays), (call.callee for call in calls))
    asked = {rel: frozenset(key[len(f.module) + 1:] for key in _functions(f) if key in wanted)
             for rel, f in facts.items()}
    answers = ask({rel: names for rel, names in asked.items() if names})
    found = [a for rel in facts if isinstance(a := answers.get(rel), LayerFacts)]
    done = reached({e.key: e for f in found for e in f.effects}, [r for f in found for r in f.relays])
    for call, hit in first_reaching(calls, done, lambda c: (c.path, c.line)):
        yield _finding(call, hit.effect, hit.layers)


def _finding(call: HandlerCall, effect: Effect, layers: tuple[str, ...]) -> Finding:
    name = call.handler
    path = " -> ".join(f"`{layer}`" for layer in (*layers, effect.name))
    return make_finding(
        "broken-function-authorization", Location(call.path, call.line, call.end_line),
        f"Probable missing role check: `{name}` calls {path}, which {effect.what}",
        f"`{name}` requires a login but checks no role or permission, and neither does {path} before it "
        f"{effect.what}: any customer with an account can call it, to promote themselves, lock out or delete "
        "other users, or change how the whole service behaves (OWASP API5: broken function level authorization).",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(call.path, call.def_line), f"handler `{name}` ({call.framework}): authenticated, "
                            "no admin/role decorator, dependency or permission class", call.def_text),
                  TraceStep(Location(call.path, call.line), f"calls {path}", call.call_text),
                  TraceStep(Location(effect.path, effect.line), f"{effect.what}, with no role comparison or 403 "
                            "on the way")),
        fix=call.fix, rule=RULE.id, key=f"{name}:{effect.name}:{effect.kind}",
    )


RULE = Rule("py-broken-function-authorization-layers", frozenset({"broken-function-authorization"}), "python",
            no_findings, collect=collect, combine=combine, revisit=revisit)
