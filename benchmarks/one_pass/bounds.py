"""Is a loop's length fixed by the code? The table form of rules/python/_loop_bounds.bounded_iterable
(the parts the query-in-loop query needs), answered from the bindings, classes and calls tables."""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.rules.python._loop_bounds import _ENUM_BASES, _MUTATORS, _ONE_ROW_KEYS, _WRAPPERS

from .tables import (
    BIND_FUNC, BIND_KIND, BIND_NAME, BIND_VALUE, CALL_ARG0, CALL_CHAIN, CALL_FUNC, CALL_KW, CALL_LINE, LOOP_FUNC,
    LOOP_ITER, LOOP_ITER_KIND, LOOP_LINE, LOOP_PARENT, Tables,
)

_LITERALS = frozenset({"list", "tuple", "set", "dict", "str"})
_RELATED_ROWS = frozenset({"all", "filter", "exclude", "order_by", "select_related", "prefetch_related",
                           "only", "defer", "distinct", "values", "values_list"})
_TABLE_ATTRS = frozenset({"objects", "query", "queryset", "session", "_default_manager", "all_objects",
                          "_base_manager"})
_META_FIELDS = frozenset({"get_fields", "fields", "concrete_fields", "local_fields", "many_to_many",
                          "related_objects", "private_fields"})


@dataclass(frozen=True, slots=True)
class Bounds:
    """The joins a loop-bound question needs, built once per file that has a loop round trip."""
    tables: Tables
    binds: dict[tuple[int, str], list[tuple]]  # (function, name) -> its binding rows
    calls_at: dict[tuple[int, str], tuple]  # (line, chain) -> the call row
    mutated: frozenset[tuple[int, str]]  # (function, name) with `name.append(...)` & co
    enums: frozenset[str]
    imported: frozenset[str]

    @classmethod
    def of(cls, t: Tables) -> "Bounds":
        binds: dict[tuple[int, str], list[tuple]] = {}
        for row in t.binds:
            binds.setdefault((row[BIND_FUNC], row[BIND_NAME]), []).append(row)
        mutated = set()
        for call in t.calls:
            receiver, _, method = call[CALL_CHAIN].rpartition(".")
            if method in _MUTATORS and receiver and "." not in receiver and "(" not in receiver:
                mutated.add((call[CALL_FUNC], receiver))
        return cls(t, binds, {(c[CALL_LINE], c[CALL_CHAIN]): c for c in t.calls}, frozenset(mutated),
                   frozenset(c[0].rpartition(".")[2] for c in t.classes
                             if any(b.rpartition(".")[2] in _ENUM_BASES for b in c[1])),
                   frozenset(local for local, _ in t.imports))

    def fixed_size(self, loop: tuple, one_objects_rows: bool) -> bool:
        """Every loop around the call (this one and those enclosing it) iterates a fixed collection."""
        row: tuple | None = loop
        while row is not None:
            if not self.bounded(row[LOOP_ITER], row[LOOP_ITER_KIND], row[LOOP_FUNC], row[LOOP_LINE],
                                one_objects_rows):
                return False
            row = self.tables.loops[row[LOOP_PARENT]] if row[LOOP_PARENT] >= 0 else None
        return True

    def bounded(self, value: str, kind: str, fn: int, line: int, one_objects_rows: bool, depth: int = 0) -> bool:
        if depth > 4 or not value:
            return False
        if kind in ("list", "tuple", "set", "dictionary", "string", "concatenated_string") or value in _LITERALS:
            return True  # a literal (one with a `*rest` element has kind `tuple*`: not fixed)
        if value.endswith("()"):
            return self._bounded_call(value[:-2], fn, line, one_objects_rows, depth)
        last = value.rpartition(".")[2]
        if "." in value:
            if "(" not in value and (last in _META_FIELDS and value.split(".")[-2] == "_meta"):
                return True
            if _constant(last) or last == "__members__":
                return True
            owner = value.rpartition(".")[0]
            return last == "choices" and owner.rpartition(".")[2].removesuffix("()")[:1].isupper()
        return self._bounded_name(value, fn, line, one_objects_rows, depth)

    def _bounded_call(self, callee: str, fn: int, line: int, one_objects_rows: bool, depth: int) -> bool:
        call = self.calls_at.get((line, callee))
        if callee in _WRAPPERS:
            return call is not None and bool(call[CALL_ARG0]) and self.bounded(call[CALL_ARG0], "", fn, line,
                                                                               one_objects_rows, depth + 1)
        receiver, _, method = callee.rpartition(".")
        if method in ("items", "keys", "values"):
            return self.bounded(receiver, "", fn, line, one_objects_rows, depth + 1)
        if method in _META_FIELDS and receiver.endswith("_meta"):
            return True
        if one_objects_rows and self._related_rows(callee, fn):
            return True
        return self._one_row(callee, line, fn)

    def _bounded_name(self, name: str, fn: int, line: int, one_objects_rows: bool, depth: int) -> bool:
        rows = self.binds.get((fn, name), []) if fn >= 0 else []
        if rows:
            if any(r[BIND_KIND] == "param" for r in rows):
                return False
            assigns = [r for r in rows if r[BIND_KIND] == "assign"]
            if len(assigns) != len(rows) or (fn, name) in self.mutated:
                return False
            if len(assigns) == 1:
                value = assigns[0][BIND_VALUE]
                if value == "empty":
                    return False
                return self.bounded(value, value, fn, assigns[0][4], one_objects_rows, depth + 1)
            return self._one_row_name(assigns)
        if name in self.enums:
            return True
        module = self.binds.get((-1, name))
        if module:
            value = module[-1][BIND_VALUE]
            return value in _LITERALS
        if _constant(name):
            return True
        return name[:1].isupper() and name in self.imported  # an imported CapWords name iterated: an enum

    def _related_rows(self, callee: str, fn: int) -> bool:
        """`document.notes.all()`, `self.members.filter(...)`: one object's related rows."""
        parts = callee.split(".")
        popped = 0
        while parts and (parts[-1].removesuffix("()") in _RELATED_ROWS) and (popped == 0 or parts[-1].endswith("()")):
            parts.pop()
            popped += 1
        if not popped or len(parts) < 2 or "(" in parts[-1]:
            return False
        attr = parts[-1]
        if attr in _TABLE_ATTRS or attr.startswith("__") or not attr[:1].islower():
            return False
        root = parts[0]
        if root in ("cls", "request") and len(parts) == 2 or root[:1].isupper() or "(" in root or root == "?":
            return False
        if root == "cls":
            return False
        return not any(r[BIND_KIND] == "for" for r in self.binds.get((fn, root), []))

    def _one_row(self, callee: str, line: int, fn: int, follow: bool = True) -> bool:
        """`Model.objects.filter(pk=x)...`: the calls of the chain on this line, one filtering by key."""
        parts = callee.split(".")
        for i, part in enumerate(parts):
            if part in ("filter()", "filter"):
                inner = ".".join(p for p in parts[:i]) + ".filter" if i else "filter"
                call = self.calls_at.get((line, inner))
                if call is not None and set(call[CALL_KW]) & _ONE_ROW_KEYS:
                    return True
        head = parts[0]
        if follow and "(" not in head and fn >= 0 and (fn, head) in self.binds:
            return self._one_row_name(self.binds[(fn, head)])
        return False

    def _one_row_name(self, rows: list[tuple]) -> bool:
        """`qs = Model.objects.filter(pk=x)` then only `qs = qs.select_related(...)`."""
        if not rows or any(r[BIND_KIND] != "assign" for r in rows):
            return False
        first = rows[0]
        if not first[BIND_VALUE].endswith("()") or not self._one_row(first[BIND_VALUE][:-2], first[4], first[BIND_FUNC],
                                                                              follow=False):
            return False
        name = first[BIND_NAME]
        return all(r[BIND_VALUE].startswith(f"{name}.") for r in rows[1:])


def _constant(name: str) -> bool:
    letters = name.strip("_")
    return len(letters) > 1 and letters.isupper()
