"""What a get_or_create or check-then-create puts in the row it inserts, read off the call.

A unique constraint protects the lookup when two concurrent callers with the same lookup would
insert rows that collide on it. That holds for the lookup's own fields, and also for a field
whose value is fixed by the lookup: a `defaults` entry (or a `create(...)` keyword) computed only
from the lookup's values and constants (`defaults={"name": str(value)}`), or a model field with a
constant default that the call leaves unset (`counter = IntegerField(default=1)`). A lookup on a
value this function has just created elsewhere (`issue = tracker.create_issue(...)`, then
`get_or_create(url=issue.url)`) cannot be held by any concurrent caller at all.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir


def names_in(expr: ir.Expr) -> set[str]:
    """Names an expression reads its value from: not the functions it calls (`str`, `round`)."""
    called = {id(node.func) for node in ir.walk_expr(expr) if isinstance(node, ir.Call)}
    return {node.id for node in ir.walk_expr(expr) if isinstance(node, ir.Name) and id(node) not in called}


def _constant_name(name: str) -> bool:
    """A module constant by the language's convention (`LEVELS`, `MEETING_ACHIEVEMENTS`)."""
    return name.isupper() and any(c.isalpha() for c in name)


def _atom(expr: ir.Expr) -> str | None:
    """A value read from a name: `value`, `issue["id"]`, `request.POST["label"]`, as text; None
    for anything else (a call, an operation: their parts are read instead)."""
    if isinstance(expr, ir.Name):
        return expr.id
    if isinstance(expr, ir.Attr):
        inner = _atom(expr.value)
        return f"{inner}.{expr.attr}" if inner is not None else None
    if isinstance(expr, ir.Subscript):
        inner = _atom(expr.value)
        index = repr(expr.index.value) if isinstance(expr.index, ir.Const) else _atom(expr.index)
        return f"{inner}[{index}]" if inner is not None and index is not None else None
    return None


def _atoms(expr: ir.Expr) -> list[str]:
    """The values an expression is computed from (not the functions it calls)."""
    found = _atom(expr)
    if found is not None:
        return [found]
    if isinstance(expr, ir.Call):
        children = list(expr.args) + [k.value for k in expr.kwargs]
        if isinstance(expr.func, ir.Attr):
            children.append(expr.func.value)  # `issue.url_for(x)` reads `issue`
    else:
        children = list(ir.child_exprs(expr))
    return [a for child in children for a in _atoms(child)]


def fixed_by(value: ir.Expr, lookup: Iterable[ir.Expr]) -> bool:
    """Is `value` the same for every caller passing the same lookup values? It is computed only
    from those values (or fields of them) and constants: `str(estimation)`, `LEVELS["x"]["tier"]`,
    a literal; not from another field of the request."""
    known = [a for v in lookup for a in [_atom(v), *_atoms(v)] if a is not None]

    def fixed(atom: str) -> bool:
        root = atom.split(".", 1)[0].split("[", 1)[0]
        return _constant_name(root) or any(atom == k or atom.startswith((k + ".", k + "[")) for k in known)

    return all(fixed(atom) for atom in _atoms(value))


def determined_fields(given: Mapping[str, ir.Expr], lookup: Mapping[str, ir.Expr]) -> set[str]:
    """Fields of the inserted row beyond the lookup whose values the lookup fixes."""
    return {name for name, value in given.items() if name not in lookup and fixed_by(value, lookup.values())}


def fresh_names(body: tuple[ir.Stmt, ...]) -> set[str]:
    """Locals holding something this function created (`issue = self.rpc.create_issue(...)`,
    `bug = Bug.objects.create(...)`), or a value built from one (`url = base + str(issue["id"])`)."""
    fresh: set[str] = set()
    assigns = [s for s in ir.walk_stmts(body) if isinstance(s, ir.Assign) and s.value is not None and s.op is None]
    for _ in range(3):  # values built from values built from a created one
        for stmt in assigns:
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value  # type: ignore[union-attr]
            created = isinstance(value, ir.Call) and ir.last_name(value.func).startswith("create")
            if created or _carries(value, fresh):  # type: ignore[arg-type]
                fresh.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return fresh


def _carries(expr: ir.Expr, fresh: set[str]) -> bool:
    """The value carries a created object's identity (a field of it, text built from it), not a
    judgement about it (`issue is None`, `a and b`)."""
    if isinstance(expr, (ir.Compare, ir.BoolOp)):
        return False
    return bool(fresh) and bool(names_in(expr) & fresh)


def keyed_on_fresh(lookup: Mapping[str, ir.Expr], fresh: set[str]) -> bool:
    """One of the lookup's values is (built from) an object this function just created."""
    return any(_carries(value, fresh) for value in lookup.values())
