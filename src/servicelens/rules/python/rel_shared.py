"""Shared vocabulary of the reliability and maintainability rules (rel_* / maint_*).

Not a rule (it defines no RULE, so discovery imports and skips it). It knows what the
rules keep asking: is this a request entry point, which lines run inside a transaction,
what does a call chain say (`Account.objects.select_for_update().get`), is a name about
money or a shared quantity, and how to print a small expression back as source so a fix
can be written against the code's own variables. Everything here is pure.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.python._common import words
from servicelens.taint.scope import ModuleScope

MONEY_WORDS = frozenset({
    "amount", "price", "balance", "total", "subtotal", "cost", "fee", "fees", "tax", "discount",
    "refund", "payment", "charge", "salary", "credit", "debit", "wallet", "revenue", "payout",
    "tip", "fare", "money", "cash", "funds", "wage", "commission", "vat", "gross", "net", "due",
})
# Entry points of graphene/strawberry mutations: called once per client request.
_MUTATION_METHODS = frozenset({"perform_mutation", "mutate", "mutate_and_get_payload"})
_ATOMIC_CALLS = frozenset({"atomic", "begin", "begin_nested", "transaction", "transaction_atomic"})
LOCK_CHAIN = frozenset({"select_for_update", "with_for_update", "for_update"})


_SCRIPT_PATH = re.compile(r"(^|/)(management/commands|scripts?|migrations|fixtures|(db|database|schema)/upgrades?)/|"
                          r"(seed|populate|random_data|sample_data|fake_data|demo_data)[^/]*\.py$")


def is_script_path(path: str) -> bool:
    """One-off and start-up scripts (seeders, management commands, migrations and a database's schema
    upgrades, `db/upgrades/v51_v52.py`): single-threaded,
    not on a request path, so races and retries there do not hurt users."""
    return bool(_SCRIPT_PATH.search(path))


def is_tooling_path(path: str) -> bool:
    """Files under dot-directories (.semgrep/, .github/, .ci/): rule fixtures and tool configs,
    not the service."""
    return any(part.startswith(".") and part not in (".", "..") for part in path.split("/")[:-1])


@lru_cache(maxsize=4096)
def is_money_name(name: str | None) -> bool:
    """`unit_price`, `totalAmount`, `balance` yes; `price_list_id`, `amount_of_items` no. Asked of
    every name of a file by several rules: a project uses the same few thousand names."""
    parts = words(name or "")
    if not parts or parts[-1] in ("id", "ids", "pk", "uuid", "type", "currency", "code", "name", "url", "key",
                                  "count", "percent", "percentage", "rate", "ratio", "field", "label", "format"):
        return False
    return parts[-1] in MONEY_WORDS or (len(parts) > 1 and parts[-2] in MONEY_WORDS and parts[-1] in ("cents", "value"))


def is_entry_point(function: ir.Function, scope: ModuleScope) -> bool:
    """A function the framework runs once per client request: a routed handler or a
    GraphQL mutation's perform/mutate method."""
    if function.qualname in scope.handlers:
        return True
    return function.class_name is not None and function.name in _MUTATION_METHODS


def chain(expr: ir.Expr) -> list[str]:
    """Names along a call/attribute chain, outermost last:
    `Account.objects.select_for_update().get(pk=1)` -> [Account, objects, select_for_update, get].
    Asked of nearly every call by the reliability rules, so each link is reached by its type."""
    names: list[str] = []
    node = expr
    while True:
        kind = type(node)
        if kind is ir.Attr:
            names.append(node.attr)  # type: ignore[union-attr]
            node = node.value  # type: ignore[union-attr]
        elif kind is ir.Call:
            node = node.func  # type: ignore[union-attr]
        elif kind is ir.Name:
            names.append(node.id)  # type: ignore[union-attr]
            break
        elif kind is ir.Await or kind is ir.Subscript:
            node = node.value  # type: ignore[union-attr]
        else:
            break
    names.reverse()
    return names


def chain_ends(index: FileIndex) -> frozenset[str]:
    """The last names of `chain(call)` over every call of the file: a rule whose calls of interest all
    end in a few names (`charge`, `save`) asks this once per file and skips a file holding none of
    them. The callee's last name where it has one (the index groups calls by it); the chain's for the
    rest (`handlers[kind]()`, `factory()()`). Shared by every rule through the index."""
    found = index.derived.get("chain-ends")
    if found is None:
        ends = set(index.callee_names())
        ends.discard("")
        ends.update(names[-1] for call in index.calls_named("") if (names := chain(call)))
        found = index.derived["chain-ends"] = frozenset(ends)
    return found  # type: ignore[return-value]


def calls_in(expr: ir.Expr) -> Iterator[ir.Call]:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Call):
            yield node


def stmt_calls(stmt: ir.Stmt) -> Iterator[ir.Call]:
    for top in ir.stmt_exprs(stmt):
        yield from calls_in(top)


def is_atomic_context(expr: ir.Expr) -> bool:
    """`transaction.atomic()`, `atomic()`, `session.begin()`, `db.begin_nested()`, `conn.transaction()`."""
    names = chain(expr)
    return bool(names) and (names[-1] in _ATOMIC_CALLS or "atomic" in names[-1].lower()) \
        and isinstance(_unwrap(expr), ir.Call)


def _unwrap(expr: ir.Expr) -> ir.Expr:
    return expr.value if isinstance(expr, ir.Await) else expr


def is_atomic_function(function: ir.Function) -> bool:
    """Decorated `@transaction.atomic` / `@atomic` / `@transactional` / `@db_session`."""
    for decorator in function.decorators:
        last = (chain(decorator) or [""])[-1]
        if "atomic" in last.lower() or last in ("transactional", "transaction", "db_session"):
            return True
    return False


def atomic_spans(function: ir.Function, index: FileIndex | None = None) -> list[tuple[int, int]]:
    """Line spans that run inside a transaction opened in this function. With the file's `index`,
    the function's statements are its laid-out slice instead of a walk (asked of every function by
    several rules)."""
    if is_atomic_function(function):
        return [(function.line, function.end_line)]
    stmts = index.walk_stmts(function.body) if index is not None else ir.walk_stmts(function.body)
    return [(stmt.line, stmt.end_line) for stmt in stmts
            if type(stmt) is ir.With and any(is_atomic_context(item.context) for item in stmt.items)]


def inside(line: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= line <= end for start, end in spans)


def mentions(function: ir.Function, module: ir.Module, *needles: str) -> bool:
    """Does the function's code (names, attributes, keywords, strings; not its comments)
    mention any of `needles` (lower-case)?"""
    return any(needle in token for token in code_tokens(function) for needle in needles)


_MENTIONS_KEY = "file-mention-text"


def file_tokens(module: ir.Module, scope: ModuleScope) -> str:
    """Every bare name, attribute, string constant, keyword and parameter name of the file (every
    body, decorator, default, annotation and class base), lower-cased and NUL-separated: a needle
    or a pattern that cannot span a NUL is found in it only within one token. Built once per file
    from the index and shared by its askers (idempotency, request paths, rate limits)."""
    index = file_index(module, scope)
    text = index.derived.get(_MENTIONS_KEY)
    if text is None:
        text = index.derived[_MENTIONS_KEY] = "\0".join((
            *(n.id for n in index.of_kind(ir.Name)), *(n.attr for n in index.of_kind(ir.Attr)),  # type: ignore[attr-defined]
            *(n.value for n in index.of_kind(ir.Const) if isinstance(n.value, str)),  # type: ignore[attr-defined]
            *(k.name for c in index.of_kind(ir.Call) for k in c.kwargs if k.name),  # type: ignore[attr-defined]
            *(p.name for f in module.functions for p in f.params))).lower()
    return text  # type: ignore[return-value]


def file_mentions(module: ir.Module, scope: ModuleScope, *needles: str) -> bool:
    """Could any function of the file `mention` one of `needles`? Read from the file index's nodes
    by kind (every body, decorator, default and annotation) plus parameters and caught types, a
    superset of every function's `code_tokens`: when it says no, `mentions` says no for each
    function, and most files are answered without a walk per function."""
    index = file_index(module, scope)
    text = file_tokens(module, scope)
    if any(needle in text for needle in needles):  # type: ignore[operator]
        return True
    return any(any(needle in token for token in _expr_tokens(handler.types) for needle in needles)
               for stmt in index.statements if isinstance(stmt, ir.Try)
               for handler in stmt.handlers if handler.types is not None)


def stmt_mentions(stmt: ir.Stmt, *needles: str) -> bool:
    """Does this one statement's own code (not its nested blocks) mention any of `needles`?"""
    return any(needle in token for top in ir.stmt_exprs(stmt) for token in _expr_tokens(top) for needle in needles)


def code_tokens(function: ir.Function) -> Iterator[str]:
    """Lower-cased identifiers, attribute and keyword names and string constants of a function."""
    for param in function.params:
        yield param.name.lower()
    for decorator in function.decorators:
        yield from _expr_tokens(decorator)
    for stmt in ir.walk_stmts(function.body):
        for top in ir.stmt_exprs(stmt):
            yield from _expr_tokens(top)
        if isinstance(stmt, ir.Try):  # `except IntegrityError:` says as much as the code
            for handler in stmt.handlers:
                if handler.types is not None:
                    yield from _expr_tokens(handler.types)


def _expr_tokens(expr: ir.Expr) -> Iterator[str]:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Name):
            yield node.id.lower()
        elif isinstance(node, ir.Attr):
            yield node.attr.lower()
        elif isinstance(node, ir.Const) and isinstance(node.value, str):
            yield node.value.lower()
        elif isinstance(node, ir.Call):
            yield from (k.name.lower() for k in node.kwargs if k.name)


def render(expr: ir.Expr | None, depth: int = 0) -> str:
    """Source text for small expressions, so fixes use the code's own names; `...` otherwise."""
    if expr is None or depth > 6:
        return "..."
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Const):
        return repr(expr.value)
    if isinstance(expr, ir.Attr):
        return f"{render(expr.value, depth + 1)}.{expr.attr}"
    if isinstance(expr, ir.Subscript):
        return f"{render(expr.value, depth + 1)}[{render(expr.index, depth + 1)}]"
    if isinstance(expr, ir.Call):
        args = [render(a, depth + 1) for a in expr.args]
        args += [f"{k.name}={render(k.value, depth + 1)}" if k.name else f"**{render(k.value, depth + 1)}"
                 for k in expr.kwargs]
        return f"{render(expr.func, depth + 1)}({', '.join(args)})"
    if isinstance(expr, ir.BinOp):
        return f"{render(expr.left, depth + 1)} {expr.op} {render(expr.right, depth + 1)}"
    if isinstance(expr, ir.Await):
        return f"await {render(expr.value, depth + 1)}"
    if isinstance(expr, ir.Unary):
        return f"{expr.op}{render(expr.operand, depth + 1)}" if expr.op != "not" else f"not {render(expr.operand)}"
    return "..."


def assigned_names(stmt: ir.Stmt) -> list[str]:
    """Plain local names an assignment binds (`a = ...`, `a, b = ...`)."""
    if not isinstance(stmt, ir.Assign):
        return []
    out: list[str] = []
    for target in stmt.targets:
        nodes = target.elts if isinstance(target, ir.Seq) else (target,)
        out.extend(node.id for node in nodes if isinstance(node, ir.Name))
    return out


def declines_commit(call: ir.Call) -> bool:
    """The caller switches the callee's own commit off (`commit=False`, `do_commit=False`,
    `commit_db_session=False`): it stages its writes in the caller's session, which commits them
    together later."""
    return any(kw.name is not None and "commit" in kw.name.lower() and isinstance(kw.value, ir.Const)
               and kw.value.value is False for kw in call.kwargs)


# decorators that make a function a Celery task (`@shared_task(...)`, `@app.task(...)`)
_CELERY_TASKS = frozenset({"task", "shared_task", "periodic_task"})


def is_celery_task(decorator: ir.Expr) -> bool:
    """`@shared_task(...)` / `@app.task(...)` called with options (a bare `@shared_task` sets none)."""
    return isinstance(decorator, ir.Call) and (chain(decorator.func) or [""])[-1] in _CELERY_TASKS


def celery_task(function: ir.Function) -> ir.Call | None:
    """The Celery task decorator of `function` that carries options, if any."""
    for decorator in function.decorators:
        if isinstance(decorator, ir.Call) and is_celery_task(decorator):
            return decorator
    return None
