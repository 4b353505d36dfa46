"""A whole object sent to the client, narrowed to named public fields where it is dumped.

`model_to_dict(user)` -> `model_to_dict(user, fields=[...])`, `serialize("json", qs)` gets
`fields=(...)`, `obj.__dict__` / `vars(obj)` / `dict(row)` become a dict of the public fields.
The fields are the model's own minus its secrets when the caller knows them, else a constant
the fix names for the project to define.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, find_call, last_name, statement


def public_name(model: str, obj: str) -> str:
    """`User` -> USER_PUBLIC_FIELDS (from the object's name when the model is unknown:
    `current_user` -> USER_PUBLIC_FIELDS)."""
    base = (model or obj.rsplit(".", 1)[-1].rsplit("_", 1)[-1] or "object").upper()
    return f"{base}_PUBLIC_FIELDS" if base.isidentifier() else "PUBLIC_FIELDS"


def only_public(code: str, fields: tuple[str, ...], name: str) -> str | None:
    """The dumping statement `code` sending only `fields` (or the names in constant `name`)."""
    stmt = statement(code)
    if stmt is None:
        return None
    listed = "[" + ", ".join(f'"{f}"' for f in fields) + "]" if fields else name
    fixed = _narrow(stmt, listed)
    if fixed is None:
        return None
    return fixed if fields else f"# {name}: the fields clients may see, never hashes, tokens or internal notes\n{fixed}"


def _narrow(stmt: Statement, listed: str) -> str | None:
    for node in ast.walk(stmt.node):
        if isinstance(node, ast.Attribute) and node.attr == "__dict__":
            return stmt.replace(node, _picked(stmt.segment(node.value), listed, attribute=True))
    call = find_call(stmt, names=("model_to_dict", "serialize", "vars", "dict", "_asdict"))
    if call is None:
        return None
    name = last_name(call.func)
    if name in ("model_to_dict", "serialize"):
        end = stmt.span(call)[1] - 1
        return stmt.text[:end] + f", fields={listed}" + stmt.text[end:]
    if name in ("vars", "dict") and len(call.args) == 1:
        return stmt.replace(call, _picked(stmt.segment(call.args[0]), listed, attribute=name == "vars"))
    if name == "_asdict" and isinstance(call.func, ast.Attribute):
        return stmt.replace(call, _picked(stmt.segment(call.func.value), listed, attribute=True))
    return None


def _picked(obj: str, listed: str, attribute: bool) -> str:
    value = f"getattr({obj}, k)" if attribute else f"{obj}[k]"
    return f"{{k: {value} for k in {listed}}}"


def public_serializer_meta(model: str, fields: tuple[str, ...], withheld: tuple[str, ...]) -> str:
    """A serializer `class Meta` listing `fields` and saying which it withholds."""
    listed = ", ".join(f'"{f}"' for f in fields)
    return f"class Meta:\n    model = {model}\n    fields = [{listed}]  # not {', '.join(withheld)}"
