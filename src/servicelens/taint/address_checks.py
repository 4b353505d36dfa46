"""SSRF guards called as statements: after `await assertPublicUrl(url)` (or `const [ip] = ...`), the
URL is one whose host the guard found public, or the call threw and nothing below ran.

    const [address] = await assertPublicUrl(target);   // throws for 10.0.0.0/8, 169.254.0.0/16, ...
    const page = await fetch(target);                  // not a client-chosen internal host

A guard is judged by its body, never by its name: a function of the module being reviewed whose
text, with the functions of that module it calls (a few calls deep), both names the address ranges
it refuses or classifies an address (models/vocabulary/address_checks.yaml) and refuses (throws,
raises). A guard defined in another module is not read yet (taint.url_checks reads same-site
predicates project-wide; the same would be needed here).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from servicelens import ir
from servicelens.rules.python._purpose import vocabulary_file

_DEPTH = 3  # a guard that asks a resolver that asks a range classifier


@dataclass(frozen=True, slots=True)
class AddressVocabulary:
    range_words: tuple[str, ...]
    refusals: tuple[str, ...]


@lru_cache(maxsize=1)
def vocabulary() -> AddressVocabulary:
    data = vocabulary_file("address_checks.yaml")
    return AddressVocabulary(tuple(str(w) for w in data["range_words"]), tuple(str(w) for w in data["refusals"]))


def guarded_names(expr: ir.Expr | None, module: ir.Module, qualified: str | None,
                  verdicts: dict[str, bool], functions: dict[str, ir.Function]) -> tuple[str, ...]:
    """The variables a statement-level call of a same-module SSRF guard checked (`expr` is the
    statement's value, `qualified` its callee's project-wide name; `verdicts` remembers each
    function's, and `functions` the module's top-level functions, once per module)."""
    call = guard_call(expr)
    if call is None or not qualified:
        return ()
    if qualified not in verdicts:
        verdicts[qualified] = refuses_private_address(module, qualified, functions)
    if not verdicts[qualified]:
        return ()
    return tuple(arg.id for arg in call.args if isinstance(arg, ir.Name))


def top_level_functions(module: ir.Module) -> dict[str, ir.Function]:
    return {f.qualname: f for f in module.functions if f.parent is None}


def guard_call(expr: ir.Expr | None) -> ir.Call | None:
    """The call whose result (awaited, or one member of it: `const [ip] = await guard(url)`) a
    statement keeps or drops."""
    while isinstance(expr, (ir.Await, ir.Subscript, ir.Attr)):
        expr = expr.value
    return expr if isinstance(expr, ir.Call) else None


def refuses_private_address(module: ir.Module, qualified: str | None, by_name: dict[str, ir.Function]) -> bool:
    """Does the module-level function `qualified` of this module refuse private addresses? (`by_name`:
    the module's top-level functions by name, built once per module: `top_level_functions`)"""
    prefix = module.module_name + "."
    if not qualified or not qualified.startswith(prefix):
        return False
    found = by_name.get(qualified[len(prefix):])
    if found is None:
        return False
    text = _normalised(_chain_text(module, found, by_name))
    words = vocabulary()
    return any(w in text for w in words.range_words) and any(r in text for r in words.refusals)


def _chain_text(module: ir.Module, function: ir.Function, by_name: dict[str, ir.Function]) -> str:
    """The source of `function`, of the module-level functions it calls or names (a few deep), and of
    the module's constants they read (`const BLOCKED_RANGES = new Set(['private', 'loopback'])`)."""
    seen: dict[str, ir.Function] = {function.qualname: function}
    frontier = [function]
    read: set[str] = set()
    for _ in range(_DEPTH):
        nodes = [node for f in frontier for stmt in ir.walk_stmts(f.body)
                 for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root)]
        read.update(node.id for node in nodes if isinstance(node, ir.Name))
        # called, or handed on by name (`addresses.some(isRefused)`)
        named = read | {ir.last_name(node.func) for node in nodes if isinstance(node, ir.Call)}
        frontier = [by_name[name] for name in named if name in by_name and name not in seen]
        seen.update((f.qualname, f) for f in frontier)
    spans = [(f.line, f.end_line) for f in seen.values()]
    spans += [(stmt.line, stmt.end_line) for stmt in module.body if isinstance(stmt, ir.Assign)
              and any(isinstance(t, ir.Name) and t.id in read for t in stmt.targets)]
    return "\n".join("\n".join(module.lines[start - 1:end]) for start, end in spans)


def _normalised(text: str) -> str:
    return text.lower().replace("_", "").replace("-", "").replace(" ", "")
