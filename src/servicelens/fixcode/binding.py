"""Request data bound onto a model, narrowed to the fields the client may set.

`User(**data)` -> `User(**{k: v for k, v in data.items() if k in USER_FIELDS})`,
`payload.model_dump(...)` -> `payload.model_dump(..., include=USER_FIELDS)`, a `setattr`
loop gets the same test on its key. The allowed set is the model's own non-privileged
columns when the caller knows them, else a constant the fix names and leaves to define.
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import Statement, keyword, last_name, statement

_BINDERS = frozenset({"update", "sqlmodel_update", "model_validate", "from_orm", "parse_obj", "from_dict",
                      "populate_obj", "values", "create", "get_or_create", "update_or_create"})


def allowed_name(model: str, receiver: str = "") -> str:
    """`Account` -> ACCOUNT_FIELDS; `current_user` -> USER_FIELDS; else WRITABLE_FIELDS."""
    base = model or (receiver.rsplit(".", 1)[-1].rsplit("_", 1)[-1] if receiver else "")
    base = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", base).upper()
    return f"{base}_FIELDS" if base.isidentifier() and base != "SELF" else "WRITABLE_FIELDS"


def allow_listed(code: str, allowed: str, fields: tuple[str, ...] = (), loop: str = "") -> str | None:
    """The binding statement `code` taking only the keys in `allowed` (defined from `fields` when
    given); `loop` is the `for key, value in ...:` header around a setattr binding."""
    stmt = statement(code)
    if stmt is None:
        return None
    fixed = _setattr(stmt, allowed, loop) if loop else _narrowed(stmt, allowed)
    if fixed is None:
        return None
    listed = ", ".join(f'"{f}"' for f in fields)
    head = f"{allowed} = frozenset({{{listed}}})  # what clients may set\n" if fields else \
        f"# {allowed}: the fields clients may set, never role, owner or balance\n"
    return head + fixed


def _narrowed(stmt: Statement, allowed: str) -> str | None:
    for call in stmt.calls():
        spread = next((k for k in call.keywords if k.arg is None), None)
        if spread is not None:
            return stmt.replace(spread.value, _filtered(stmt, spread.value, allowed))
        if last_name(call.func) in _BINDERS | {"__dict__"} and call.args:
            value = call.args[0]
            if isinstance(value, ast.Dict) and all(isinstance(k, ast.Constant) for k in value.keys):
                return None  # fixed keys: nothing for the client to choose
            if isinstance(value, ast.Call) and last_name(value.func) in ("model_dump", "dict") \
                    and keyword(value, "include") is None:
                end = stmt.span(value)[1] - 1
                sep = ", " if value.args or value.keywords else ""
                return stmt.text[:end] + f"{sep}include={allowed}" + stmt.text[end:]
            return stmt.replace(value, _filtered(stmt, value, allowed))
    return None


def _filtered(stmt: Statement, value: ast.expr, allowed: str) -> str:
    return f"{{k: v for k, v in {stmt.segment(value)}.items() if k in {allowed}}}"


def _setattr(stmt: Statement, allowed: str, loop: str) -> str | None:
    call = next((c for c in stmt.calls() if last_name(c.func) == "setattr" and len(c.args) == 3), None)
    header = statement(loop)
    if call is None or header is None or not isinstance(header.node, ast.For):
        return None
    key = stmt.segment(call.args[1])
    return f"{header.text.split(chr(10))[0]}\n    if {key} in {allowed}:\n        {stmt.text}"


def meta_class(kind: str, model: str, fields: tuple[str, ...], server_side: tuple[str, ...],
               all_fields: bool = False) -> str:
    """A serializer's or model form's `class Meta` that keeps `server_side` out of the client's
    hands: a serializer keeps its own field list (or `__all__`) and marks them read-only; a form,
    which has no read-only fields, lists only the others."""
    def listed(names: tuple[str, ...]) -> str:
        return "[" + ", ".join(f'"{n}"' for n in names) + "]"

    head = f"class Meta:\n    model = {model}\n"
    if kind == "serializer":
        written = '"__all__"' if all_fields else listed(fields)
        return f"{head}    fields = {written}\n    read_only_fields = {listed(server_side)}"
    writable = tuple(f for f in fields if f not in server_side)
    return f"{head}    fields = {listed(writable)}  # not {', '.join(server_side)}: set by the server"
