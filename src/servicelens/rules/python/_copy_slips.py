"""Copy-paste slips: one of several sibling copies that kept a name from the copy it was made from.

Not a rule (it defines no RULE). When a branch is written four or more times with only its
names changed (`if axis == LABEL: ... label_details ...`, `if axis == MODULE: ... module_details
...`), the names that change from copy to copy belong together: in every copy they share a
word (label, module). A copy where one of them is the name another copy uses, and shares no
word with the rest of its own names, was pasted and not fully edited: `if axis == MODULE:
... label_details ...`. That is a concrete defect, not a matter of taste, and it is what makes
a complex or duplicated function worth a comment.

A branch that only names a value (`return Model.created_at`) is a row of a lookup table,
where two keys sharing one value is a deliberate fallback: such branches are not compared.
Four copies at least: with three, one confirming copy is too little to tell a slip from a name
two cases share on purpose (`_apply_filesystem(path)` next to `_apply_path(path)`).
The copies compared are sibling statements of one block (`if`, `for`, `with`, `while`, `try`)
and the arms of an `if`/`elif` chain whose shapes match exactly once every name and literal is
abstracted away. Nothing here knows any domain word: the words come from the copies themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python._common import words

_MIN_COPIES = 4  # the slipped copy, the one it copied from, and two more that confirm the pattern
_COMPOUND = (ir.If, ir.For, ir.While, ir.With, ir.Try)


@dataclass(frozen=True, slots=True)
class CopySlip:
    line: int  # where the slipped copy uses the other copy's name
    copy_line: int  # the slipped copy
    kept: str  # the name it kept
    source_line: int  # the copy that name belongs to
    own_words: tuple[str, ...]  # what this copy's other changing names say it is about


@dataclass(frozen=True, slots=True)
class _Copy:
    line: int
    shape: tuple[str, ...]
    values: tuple[str, ...]  # the concrete name or literal at each abstracted place
    lines: tuple[int, ...]  # the line of each abstracted place
    is_name: tuple[bool, ...]


def copy_slips(body: tuple[ir.Stmt, ...]) -> tuple[CopySlip, ...]:
    """Every slip among the sibling copies of every block of a function body."""
    found: list[CopySlip] = []
    for block in _blocks(body):
        kept = [(line, test, stmts) for line, test, stmts in _candidates(block) if not _table_entry(stmts)]
        if len(kept) < _MIN_COPIES:
            continue  # no group can be large enough: the copies' shapes (a walk of each subtree) are not needed
        copies = [_copy(line, test, stmts) for line, test, stmts in kept]
        groups: dict[tuple[str, ...], list[_Copy]] = {}
        for copy in copies:
            if copy.values:
                groups.setdefault(copy.shape, []).append(copy)
        for group in groups.values():
            if len(group) >= _MIN_COPIES:
                found.extend(_slips(group))
    return tuple(sorted(set(found), key=lambda s: (s.line, s.kept)))


def _blocks(body: tuple[ir.Stmt, ...]) -> Iterator[tuple[ir.Stmt, ...]]:
    """Every statement block; the tail of an if/elif chain is not a block of its own (its arms
    are compared once, with the whole chain)."""
    yield body
    for stmt in body:
        if not isinstance(stmt, ir.If):
            for block in ir.child_blocks(stmt):
                yield from _blocks(block)
            continue
        arm = stmt
        while True:
            yield from _blocks(arm.body)
            if len(arm.orelse) == 1 and isinstance(arm.orelse[0], ir.If):
                arm = arm.orelse[0]
                continue
            if arm.orelse:
                yield from _blocks(arm.orelse)
            break


def _candidates(block: tuple[ir.Stmt, ...]) -> Iterator[tuple[int, ir.Expr | None, tuple[ir.Stmt, ...]]]:
    """Sibling compound statements, and each arm of an if/elif chain."""
    for stmt in block:
        if isinstance(stmt, ir.If) and len(stmt.orelse) == 1 and isinstance(stmt.orelse[0], ir.If):
            arm: ir.Stmt | None = stmt
            while isinstance(arm, ir.If):
                yield arm.line, arm.test, arm.body
                arm = arm.orelse[0] if len(arm.orelse) == 1 and isinstance(arm.orelse[0], ir.If) else None
        elif isinstance(stmt, _COMPOUND):
            yield stmt.line, None, (stmt,)


def _table_entry(stmts: tuple[ir.Stmt, ...]) -> bool:
    """`case SortBy.user_order: return Benefit.created_at`: a branch that only names a value is a row
    of a lookup table written as code, and two keys sharing one value is what a table says on
    purpose (a fallback), not a slip."""
    if len(stmts) != 1:
        return False
    stmt = stmts[0]
    value = stmt.value if isinstance(stmt, (ir.Return, ir.Assign)) else None
    return isinstance(value, (ir.Name, ir.Attr, ir.Const))


def _copy(line: int, test: ir.Expr | None, stmts: tuple[ir.Stmt, ...]) -> _Copy:
    shape: list[str] = []
    values: list[str] = []
    lines: list[int] = []
    is_name: list[bool] = []

    def expr(node: ir.Expr) -> None:
        for part in ir.walk_expr(node):
            if isinstance(part, ir.Name):
                shape.append("N")
                values.append(part.id)
                lines.append(part.line)
                is_name.append(True)
            elif isinstance(part, ir.Const) and isinstance(part.value, (str, int)) and not isinstance(part.value, bool):
                shape.append("C")
                values.append(repr(part.value))
                lines.append(part.line)
                is_name.append(False)
            elif isinstance(part, ir.Attr):  # `fixture.home_id` / `fixture.away_id`: a name that changes too
                shape.append("A")
                values.append(part.attr)
                lines.append(part.line)
                is_name.append(True)
            else:
                shape.append(type(part).__name__ + str(getattr(part, "op", "")) + str(getattr(part, "ops", "")))

    def block(body: tuple[ir.Stmt, ...]) -> None:
        shape.append("{")
        for stmt in body:
            shape.append(type(stmt).__name__ + str(getattr(stmt, "op", "") or ""))
            for node in ir.stmt_exprs(stmt):
                expr(node)
            for child in ir.child_blocks(stmt):
                block(child)
        shape.append("}")

    if test is not None:
        expr(test)
    block(stmts)
    return _Copy(line, tuple(shape), tuple(values), tuple(lines), tuple(is_name))


def _slips(group: list[_Copy]) -> Iterator[CopySlip]:
    count = len(group)
    columns = list(zip(*(c.values for c in group)))
    distinct = [len(set(column)) for column in columns]
    # what each copy is about: the words of the names that differ in every copy, less the words
    # every copy shares (`id` in LABEL_ID / MODULE_ID)
    about: list[set[str]] = []
    for copy in group:
        about.append({w for place, value in enumerate(copy.values)
                      if distinct[place] == count and copy.is_name[place] for w in _name_words(value)})
    common = set.intersection(*about) if about else set()
    about = [a - common for a in about]
    if not all(about):
        return
    for place, column in enumerate(columns):
        if distinct[place] != count - 1 or not group[0].is_name[place]:
            continue
        shared = next(v for v in set(column) if column.count(v) == 2)
        first, second = (i for i, v in enumerate(column) if v == shared)
        others = [i for i in range(count) if i not in (first, second)]
        if not all(_related(_name_words(column[i]), about[i]) for i in others):
            continue  # this place does not follow the copies' own names elsewhere either
        kept = _name_words(shared)
        for owner, slipped in ((first, second), (second, first)):
            if _related(kept, about[owner]) and not _related(kept, about[slipped]):
                copy = group[slipped]
                yield CopySlip(copy.lines[place], copy.line, shared, group[owner].line,
                               tuple(sorted(about[slipped])))


def _name_words(name: str) -> set[str]:
    return {w for w in words(name) if len(w) > 2}


def _related(some: set[str], others: set[str]) -> bool:
    """The two share a word, singular or plural (`lakes` / `lake`). Not any prefix: `ack` is
    not `acked`, and states of one machine name each other."""
    return any(a == b or a in (b + "s", b + "es") or b in (a + "s", a + "es") for a in some for b in others)


def describe(slip: CopySlip) -> str:
    """One sentence a reviewer can check by looking at two lines."""
    return (f"the branch at line {slip.copy_line} is about {' / '.join(slip.own_words)} but uses `{slip.kept}`, "
            f"the name of the branch at line {slip.source_line}")
