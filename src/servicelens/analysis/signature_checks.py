"""Which serializers and route handlers authenticate the caller by a verified signature.

Some APIs have no login at all: the caller proves who they are by signing the payload (a wallet
owner's signature over a message, a delegate's signature over a time-boxed hash), and the server
recovers the signer and refuses the request unless it is the owner, the delegate or one of an
allowed set. Such a view may say `permission_classes = [AllowAny]` and still authenticate every
write. The check counts by what the code does, not by what a view or field is called:

  - a call that verifies a signature or recovers its signer: the callee's name says so (`verify`,
    `recover`, `signature`, `unsign`, `compare_digest`) and what it is called on or handed speaks of
    a signature or a key (a task queue's `signature("tasks.retry")` or `verify_captcha(code)` is none);
    a function of the module is judged by its body instead, whatever it is named;
  - whose outcome decides an exit: a test of its result, or of what is derived from it (the
    recovered signer compared with the owner, a list of parsed signatures found empty), whose
    branch raises or answers a refusal; or the call inside a `try` whose handler exits.

Values derived from the result are followed through assignments, loops and into the methods of
the module the function hands them to on `self` (`self._check_owner(signers)`), two calls down.
A serializer counts when the methods REST framework runs to validate it (`validate`,
`validate_<field>`) do so, directly or through those methods; a view's handler when its own body
does. Which views run which serializer is decided project-wide (analysis/signature_auth.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex
from servicelens.analysis.sender_checks import on_self
from servicelens.endpoints.principals import qualify
from servicelens.rules.python._common import words

# words of a callee that checks a signature or recovers who signed (`recover_message`,
# `parse_signature`, `verify_key.verify`, `signer.unsign`); such a call counts when what it is
# called on or handed speaks of a signature or a key (`public_key.verify(sig, data)`,
# `parse_signature(signature, message_hash)`), not `verify_captcha(code)`, `recover_password(user)`
# or a task queue's `signature("tasks.retry")`
_CHECK_WORDS = frozenset({"verify", "verified", "recover", "signature", "signatures", "unsign", "compare_digest"})
_KEY_WORDS = frozenset({"pubkey", "signature", "signatures", "sig", "signed", "signing", "hmac", "signer"})
# words that speak of a key only on what the call is made on (`public_key.verify(...)`, `verify_key.verify`):
# handed as an argument, a key is as often a shared secret (`verify_captcha(code, secret_key=...)`)
_RECEIVER_KEY_WORDS = frozenset({"key", "public"})
# calls that are a signature check whatever they are handed; a constant-time comparison
# (`hmac.compare_digest`) is one only beside a key or a MAC, not `compare_digest(password, confirm)`
_SIGNATURE_CALLS = frozenset({"ecrecover"})
# what a handler does to hand a request's data to its serializer's validation
_VALIDATION_CALLS = frozenset({"is_valid"})
# the generic view's own handlers that validate its serializer when the view does not override them
_GENERIC_HANDLERS = frozenset({"create", "update", "partial_update"})
_REFUSAL_NAME = re.compile(r"(?i)(HTTP_4\d\d|unauthori[sz]ed|forbidden|bad_?request|permission_?denied|invalid)")
_DEPTH = 2


@dataclass(frozen=True, slots=True)
class SignatureChecks:
    """One module's signature checks, joined with the routes project-wide."""

    classes: tuple[str, ...] = ()  # class keys whose validation methods verify a signature
    handlers: tuple[str, ...] = ()  # method qualnames whose own body (or helpers) verify one
    validating: tuple[str, ...] = ()  # method qualnames that run their serializer's validation
    # (method qualname, project-wide names of the classes it builds with `data=`): a handler that
    # makes its serializer itself (`DeleteSerializer(data=request.data).is_valid(...)`)
    built: tuple[tuple[str, tuple[str, ...]], ...] = ()


def signature_checks(module: ir.Module, imports: Mapping[str, str], index: FileIndex) -> SignatureChecks:
    """The module's signature checks. Each question is asked of its methods only when the file's
    index holds a call it could turn on (most modules call nothing that checks a signature, and
    validate no serializer)."""
    by_name: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        by_name.setdefault(function.name, []).append(function)
    methods = [f for f in module.functions if f.class_name is not None]
    checks = any(_may_check(name) for name in index.callee_names())
    verifying = {f.qualname for f in methods if checks and _verifies(f, frozenset(), by_name, _DEPTH, index)}
    classes = tuple(f"{module.module_name}.{cls.qualname}" for cls in module.classes
                    if any(_validation_method(m.rsplit(".", 1)[-1]) and m in verifying for m in cls.methods))
    validates = _may_validate(by_name, index)
    validating = tuple(f.qualname for f in methods if validates and _runs_validation(f, by_name, _DEPTH, index))
    built = tuple((f.qualname, names) for f in methods if f.qualname in validating
                  and (names := _built_with_data(f, module, imports, index)))
    return SignatureChecks(classes, tuple(sorted(verifying)), validating, built)


def _may_check(callee: str) -> bool:
    """Can a call of this last name be a signature check (`_signature_call` asks more of it)?"""
    return callee in _SIGNATURE_CALLS or callee in _CHECK_WORDS or not _CHECK_WORDS.isdisjoint(words(callee))


def _may_validate(by_name: Mapping[str, list[ir.Function]], index: FileIndex) -> bool:
    """Does the file hold a call `_runs_validation` turns on: `is_valid`, the generic view's
    `self.create`/`update`/`partial_update`, or `super().<a function's own name>`?"""
    if any(index.calls_named(name) for name in _VALIDATION_CALLS):
        return True
    if any(isinstance(call.func, ir.Attr) and on_self(call.func.value)
           for name in _GENERIC_HANDLERS for call in index.calls_named(name)):
        return True
    return bool(index.calls_named("super")) and any(
        isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Call)
        and ir.dotted_name(call.func.value.func) == "super" for name in by_name for call in index.calls_named(name))


def _built_with_data(function: ir.Function, module: ir.Module, imports: Mapping[str, str],
                     index: FileIndex) -> tuple[str, ...]:
    """Classes the function constructs with a `data=` keyword (REST framework's serializers)."""
    return tuple(dict.fromkeys(name for call in index.block_of_kind(function.body, ir.Call)
                               if any(kw.name == "data" for kw in call.kwargs)
                               and (name := qualify(ir.dotted_name(call.func) or "", module, imports))))


def _validation_method(name: str) -> bool:
    """What REST framework's `is_valid()` runs of a serializer: `validate` and `validate_<field>`."""
    return name == "validate" or name.startswith("validate_")


def _verifies(function: ir.Function, seeds: frozenset[str], by_name: dict[str, list[ir.Function]],
              depth: int, index: FileIndex) -> bool:
    """The function verifies a signature and exits when it does not hold; `seeds`: its parameters
    that already hold a verification's result (handed down by a caller)."""
    derived = _derived(function.body, set(seeds), by_name)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and _decides(stmt.test, derived, by_name) and _guards_exit(stmt, function.body):
            return True
        if isinstance(stmt, ir.Try) and any(_signature_call(n, by_name) for s in ir.walk_stmts(stmt.body)
                                            for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)) \
                and any(_exits(h.body) for h in stmt.handlers):
            return True
    if depth == 0:
        return False
    return any(_verifies(helper, handed, by_name, depth - 1, index)
               for helper, handed in _helpers(function, derived, by_name, index))


def _signature_call(node: ir.Expr, by_name: dict[str, list[ir.Function]]) -> bool:
    """A call of a library or another module that checks a signature; a method of this module
    called on `self` is judged by its body instead (`_helpers`), whatever it is named."""
    if not isinstance(node, ir.Call) or _own_function(node, by_name):
        return False
    last = ir.last_name(node.func)
    if last in _SIGNATURE_CALLS:
        return True
    if not set(words(last)) & _CHECK_WORDS and last not in _CHECK_WORDS:
        return False
    receiver = [node.func.value] if isinstance(node.func, ir.Attr) and last != "compare_digest" else []
    handed = [*node.args, *(kw.value for kw in node.kwargs)]
    named = [kw.name for kw in node.kwargs if kw.name] + _names_in(handed)
    return (any(set(words(name)) & _KEY_WORDS for name in named + _names_in(receiver))
            or any(set(words(name)) & _RECEIVER_KEY_WORDS for name in _names_in(receiver)))


def _names_in(exprs: list[ir.Expr]) -> list[str]:
    """The names and string constants written in these expressions."""
    return [ir.last_name(n) if isinstance(n, (ir.Name, ir.Attr)) else n.value
            for expr in exprs for n in ir.walk_expr(expr)
            if isinstance(n, (ir.Name, ir.Attr)) or isinstance(n, ir.Const) and isinstance(n.value, str)]


def _derived(body: tuple[ir.Stmt, ...], names: set[str], by_name: dict[str, list[ir.Function]]) -> set[str]:
    """Names holding a signature check's result or what is computed from it, twice over the
    body so a loop's later statements feed its earlier ones."""
    for _ in range(2):
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and _decides(stmt.value, names, by_name):
                names.update(ir.assigned_names((stmt,)))
            elif isinstance(stmt, ir.For) and _decides(stmt.iter, names, by_name):
                names.update(ir.assigned_names((stmt,)))
    return names


def _decides(expr: ir.Expr, derived: set[str], by_name: dict[str, list[ir.Function]]) -> bool:
    """The expression is a signature check or reads what one returned."""
    return any(_signature_call(node, by_name) or (isinstance(node, ir.Name) and node.id in derived)
               for node in ir.walk_expr(expr))


def _guards_exit(stmt: ir.If, body: tuple[ir.Stmt, ...]) -> bool:
    """Either branch exits with a refusal, or the test lets the success return early and the
    statement after it refuses (`if signer_ok(...): return attrs` then `raise ValidationError`)."""
    if _exits(stmt.body) or _exits(stmt.orelse):
        return True
    if not stmt.body or not isinstance(stmt.body[-1], ir.Return):
        return False
    following = _following(stmt, body)
    return following is not None and _exits((following,))


def _following(target: ir.Stmt, body: tuple[ir.Stmt, ...]) -> ir.Stmt | None:
    """The statement after `target` in whichever block of `body` holds it."""
    for block in (body, *(b for s in ir.walk_stmts(body) for b in ir.child_blocks(s))):
        for i, stmt in enumerate(block):
            if stmt is target:
                return block[i + 1] if i + 1 < len(block) else None
    return None


def _exits(block: tuple[ir.Stmt, ...]) -> bool:
    """The block raises, or returns a refusal (a 4xx status, `HttpResponseForbidden`)."""
    for stmt in block:
        if isinstance(stmt, ir.Raise):
            return True
        if isinstance(stmt, ir.Return) and stmt.value is not None and any(
                (isinstance(n, ir.Const) and isinstance(n.value, int) and not isinstance(n.value, bool)
                 and 400 <= n.value < 500)
                or (isinstance(n, (ir.Name, ir.Attr)) and _REFUSAL_NAME.search(ir.last_name(n)))
                for n in ir.walk_expr(stmt.value)):
            return True
    return False


def _own_function(call: ir.Call, by_name: dict[str, list[ir.Function]]) -> bool:
    """A function of this module (`_check(sig)`) or a method of it called on `self`."""
    if isinstance(call.func, ir.Name):
        return any(f.class_name is None for f in by_name.get(call.func.id, ()))
    return isinstance(call.func, ir.Attr) and on_self(call.func.value) and call.func.attr in by_name


def _helpers(function: ir.Function, derived: set[str], by_name: dict[str, list[ir.Function]], index: FileIndex
             ) -> list[tuple[ir.Function, frozenset[str]]]:
    """Functions of this module the function calls by name, and its methods called on `self` (or
    `super()`), each with its parameters that receive a derived value."""
    out = []
    for call in index.block_of_kind(function.body, ir.Call):
        if isinstance(call.func, ir.Name):
            candidates = [f for f in by_name.get(call.func.id, ()) if f.class_name is None]
        elif isinstance(call.func, ir.Attr) and on_self(call.func.value):
            candidates = [f for f in by_name.get(call.func.attr, ()) if f.class_name is not None]
        else:
            continue
        for helper in candidates:
            if helper is function:
                continue
            params = [p for p in helper.params if p.kind in ("positional", "keyword")]
            params = params[1:] if helper.class_name is not None else params  # past `self`
            handed = {params[i].name for i, arg in enumerate(call.args) if i < len(params) and _decides(arg, derived, by_name)}
            handed.update(kw.name for kw in call.kwargs if kw.name and _decides(kw.value, derived, by_name))
            out.append((helper, frozenset(handed)))
    return out


def _runs_validation(function: ir.Function, by_name: dict[str, list[ir.Function]], depth: int,
                     index: FileIndex) -> bool:
    """The handler validates its serializer (`serializer.is_valid(raise_exception=True)`), or hands
    the request to the generic view's own handler, which does (`super().post(request)`,
    `self.create(request)`), itself or through a method of the module it calls on `self`."""
    for call in index.block_of_kind(function.body, ir.Call):
        if not isinstance(call.func, ir.Attr):
            continue
        if call.func.attr in _VALIDATION_CALLS:
            return True
        if isinstance(call.func.value, ir.Call) and ir.dotted_name(call.func.value.func) == "super" \
                and call.func.attr == function.name:
            return True
        if on_self(call.func.value) and call.func.attr in _GENERIC_HANDLERS \
                and not any(f.class_name == function.class_name for f in by_name.get(call.func.attr, ())):
            return True  # the generic view's own, not overridden in this class (a serializer's `create` is not)
    return depth > 0 and any(_runs_validation(helper, by_name, depth - 1, index)
                             for helper, _ in _helpers(function, set(), by_name, index))
