"""Which route handlers check the sender of a machine-to-machine call before acting on it.

A webhook or callback is public by design: no user signs in to send it, so missing-authentication
does not ask for a login. What stands in for the login is the check that the request comes from
the provider: a signature over the body, a shared secret or token, a signed payload the provider's
SDK verifies. A handler named `webhook` that checks none of them lets anyone who finds the URL mark
orders paid or shipments delivered. This module records, per file, the route handlers that do
check: in their own body, or in a function of the module they call first, or by a decorator of
the project itself (whose body is judged where it is declared, not here).
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.rules.python._common import words

# words in the name of a call that verifies a sender: `verify_signature`, `hmac.compare_digest`,
# `constant_time_compare`, `signer.unsign`, `authenticate`, `hmac.new(...)` (a digest to compare);
# and whole names of SDK calls that verify a provider's signature before returning the event
_VERIFYING_WORDS = frozenset({"verify", "verified", "compare", "digest", "signature", "signed", "sign", "unsign",
                              "hmac", "authenticate", "authenticated"})
_VERIFYING_CALLS = frozenset({"construct_event", "jwt.decode", "validate_request", "verify_webhook"})
# more words a guarding decorator's name may use (`@require_token`, `@webhook_auth`, `@api_key_required`)
_GUARD_WORDS = frozenset({"token", "secret", "auth", "key", "login", "jwt", "authentication", "authenticated"})
# status codes that refuse an unauthenticated or forbidden sender
_REFUSALS = frozenset({401, 403})
# where a request carries what proves its sender
_CREDENTIAL_CARRIERS = re.compile(r"(?i)(authorization|signature|token|secret|api_?key|password)")


def verifying_handlers(module: ir.Module, routes: tuple[RouteFact, ...]) -> tuple[str, ...]:
    """Qualnames of this module's route handlers that check who sent the request (or act on nothing)."""
    functions = {f.qualname: f for f in module.functions}
    by_name: dict[str, list[ir.Function]] = {}
    for f in module.functions:
        by_name.setdefault(f.name, []).append(f)
    found = []
    for route in routes:
        function = functions.get(route.qualname)
        if function is None:
            continue
        if _inert(function) or _project_decorated(function, module) or _checks_through(function, by_name, 2):
            found.append(route.qualname)
    return tuple(dict.fromkeys(found))


def _checks_through(function: ir.Function, by_name: dict[str, list[ir.Function]], depth: int) -> bool:
    """The function checks the sender itself, or a function of the module it calls does, `depth`
    calls down (`_verify(request)`, `self.preprocess_request(request)` -> `self.check_permissions(...)`)."""
    if _checks_sender(function):
        return True
    return depth > 0 and any(_checks_through(helper, by_name, depth - 1) for helper in _called_helpers(function, by_name))


def _inert(function: ir.Function) -> bool:
    """A handler that calls nothing (`return {}`, a stub acknowledging receipt) cannot act on what it
    is sent: there is nothing for a sender check to protect."""
    return not any(isinstance(node, ir.Call) for stmt in ir.walk_stmts(function.body)
                   for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _checks_sender(function: ir.Function) -> bool:
    presented = _presented_credentials(function)
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if _verifying_call(node) or _refusal(node) or _credential_compare(node) \
                        or _hands_credential(node, presented):
                    return True
    return False


def _presented_credentials(function: ir.Function) -> set[str]:
    """Names holding what the sender presented as proof: a parameter named for it (`signature:
    Annotated[str, Header(alias="PayCo-Signature")]`, `x_hub_signature_256`), or a local read from a
    header or parameter so named (`sig = request.headers["Stripe-Signature"]`)."""
    seeds = {p.name for p in function.params if _CREDENTIAL_CARRIERS.search(p.name)}
    names = set(seeds)
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        nodes = list(ir.walk_expr(stmt.value))
        header = any(isinstance(n, ir.Const) and isinstance(n.value, str) and _CREDENTIAL_CARRIERS.search(n.value)
                     for n in nodes) and any("headers" in (ir.dotted_name(n) or "").split(".") for n in nodes)
        if header or any(isinstance(n, ir.Name) and n.id in names for n in nodes):
            names.update(t.id for target in stmt.targets for t in ir.walk_expr(target) if isinstance(t, ir.Name))
    return names


# calls that only record what they are handed
_RECORDING = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"})


def _hands_credential(node: ir.Expr, presented: set[str]) -> bool:
    """`client.parse_webhook(payload, signature)`: the presented proof handed to a call, which is where
    it is checked, whatever the call is named (a provider client of the project, an SDK)."""
    if not presented or not isinstance(node, ir.Call) \
            or (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] in _RECORDING:
        return False
    return any(isinstance(n, ir.Name) and n.id in presented
               for arg in (*node.args, *(kw.value for kw in node.kwargs)) for n in ir.walk_expr(arg))


def _verifying_call(node: ir.Expr) -> bool:
    if not isinstance(node, ir.Call):
        return False
    name = ir.dotted_name(node.func) or ""
    last = name.rsplit(".", 1)[-1]
    return bool(set(words(last)) & _VERIFYING_WORDS) or "hmac" in name.split(".") \
        or last in _VERIFYING_CALLS or name in _VERIFYING_CALLS


def _refusal(node: ir.Expr) -> bool:
    if isinstance(node, ir.Const) and not isinstance(node.value, bool) and node.value in _REFUSALS:
        return True
    name = ir.dotted_name(node) if isinstance(node, (ir.Name, ir.Attr)) else None
    return bool(name) and bool(re.search(r"(?i)(unauthori[sz]ed|forbidden|permissiondenied|401|403)",
                                         name.rsplit(".", 1)[-1]))


def _credential_compare(node: ir.Expr) -> bool:
    """`if request.headers.get("X-Token") != settings.HOOK_TOKEN`: a presented credential compared."""
    if not isinstance(node, ir.Compare):
        return False
    sides = (node.left, *node.comparators)
    return any(_CREDENTIAL_CARRIERS.search(ir.dotted_name(n) or "") or
               (isinstance(n, ir.Const) and isinstance(n.value, str) and _CREDENTIAL_CARRIERS.search(n.value))
               for side in sides for n in ir.walk_expr(side))


def _called_helpers(function: ir.Function, by_name: dict[str, list[ir.Function]]) -> list[ir.Function]:
    """Functions of this module the handler calls by name: module functions (`_verify(request)`) and,
    for `self.x()` / `super().x()`, the module's methods named `x` (the class or a base declared here)."""
    out = []
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if not isinstance(node, ir.Call):
                    continue
                if isinstance(node.func, ir.Name):
                    out.extend(f for f in by_name.get(node.func.id, ()) if f.class_name is None and f is not function)
                elif isinstance(node.func, ir.Attr) and on_self(node.func.value):
                    out.extend(f for f in by_name.get(node.func.attr, ()) if f.class_name is not None and f is not function)
    return out


def on_self(receiver: ir.Expr) -> bool:
    """`self.x(...)` or `super().x(...)`: a call of the instance's own methods."""
    return (isinstance(receiver, ir.Name) and receiver.id == "self") or (
        isinstance(receiver, ir.Call) and ir.dotted_name(receiver.func) == "super")


def _project_decorated(function: ir.Function, module: ir.Module) -> bool:
    """A decorator defined or imported from the project whose name says it checks the sender
    (`@hmac_signed("ERP_SECRET")`, `@verify_webhook`, `@require_token`): judged by its own body
    elsewhere, so taken as a check here."""
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        name = (ir.dotted_name(target) or "").rsplit(".", 1)[-1]
        if set(words(name)) & (_VERIFYING_WORDS | _GUARD_WORDS):
            return True
        # `@authentication_classes([BasicAuthentication])`, `@permission_classes([HasWebhookToken])`:
        # judged by the classes it names, not the framework's decorator name
        named = [(ir.dotted_name(n) or "").rsplit(".", 1)[-1] for n in ir.walk_expr(decorator)
                 if isinstance(n, (ir.Name, ir.Attr))][1:] if isinstance(decorator, ir.Call) else []
        if any(set(words(n)) & (_VERIFYING_WORDS | _GUARD_WORDS | {"authentication", "permission"})
               and n not in _OPEN_CLASSES for n in named):
            return True
    return False


# framework classes that let anyone through: naming them checks nothing
_OPEN_CLASSES = frozenset({"AllowAny", "IsAuthenticatedOrReadOnly"})
