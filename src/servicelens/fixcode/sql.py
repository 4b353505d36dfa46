"""SQL built from values, rewritten so the values travel as bound parameters.

`cur.execute(f"... WHERE email = '{email}'")` -> `cur.execute("... WHERE email = %s", (email,))`:
each value spliced into the text (f-string, `+`, `%`, `.format`) becomes a placeholder in
the driver's style and a parameter; quotes around it go with it. A value that is not a
value but a piece of SQL (a whole WHERE clause, a sort column) cannot be bound: it is
looked up in a fixed table of fragments keyed by the caller's choice instead.
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import Statement, find_call, last_name, string_parts, value_name

_MARK = "\0{}\0"
_MARK_RE = re.compile(r"\0(\d+)\0")
_VALUE = re.compile(r"'([^']*\0\d+\0[^']*)'|\0(\d+)\0")  # a quoted literal holding a value, or a bare value
# text right before a bound value: a comparison, a list, LIKE, VALUES (, a comma, LIMIT ...
_BEFORE_VALUE = re.compile(r"(?i)(=|<|>|\(|,|\blike|\bin|\blimit|\boffset|\bthen|\belse|\bwhen)\s*$")
_ASYNCPG = ("fetch", "fetchrow", "fetchval")


def parameterise(stmt: Statement, callee: str, framework: str) -> str | None:
    """The sink statement with its SQL text constant and the values passed separately."""
    text_call = find_call(stmt, names=("text",))
    if text_call is not None and text_call.args:
        return _sqlalchemy(stmt, text_call)
    call = find_call(stmt, callee) or find_call(stmt, names=("execute", "executemany", "raw", "extra", *_ASYNCPG))
    if call is None:
        return None
    if last_name(call.func) == "extra":
        return _extra(stmt, call)
    if not call.args:
        return None
    style = "dollar" if last_name(call.func) in _ASYNCPG else "format"
    built = _placeholders(stmt, call.args[0], style)
    if built is None:
        return None
    query, params = built
    if not params:
        return stmt.replace(call.args[0], query)
    if style == "dollar":
        return stmt.replace(call.args[0], f"{query}, {', '.join(params)}")
    bound = f"[{', '.join(params)}]" if last_name(call.func) == "raw" else _tuple(params)
    return stmt.replace(call.args[0], f"{query}, {bound}")


def parameterise_assignment(stmt: Statement) -> tuple[str, str] | None:
    """`query = f"..."` -> (`query = "..."\\nparams = (...)`, the name): SQL built on one line
    and executed on another."""
    node = stmt.node
    if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
        return None
    built = _placeholders(stmt, node.value, "format")
    if built is None or not built[1]:
        return None
    name = node.targets[0].id
    return f"{stmt.replace(node.value, built[0])}\n{name}_params = {_tuple(built[1])}", name


def pass_params(stmt: Statement, name: str) -> str | None:
    """The sink statement executing `name` with `<name>_params` added."""
    for call in stmt.calls():
        if call.args and isinstance(call.args[0], ast.Name) and call.args[0].id == name:
            return stmt.replace(call.args[0], f"{name}, {name}_params")
    return None


def _sqlalchemy(stmt: Statement, text_call: ast.Call) -> str | None:
    built = _placeholders(stmt, text_call.args[0], "named")
    if built is None or not built[1]:
        return None
    query, params = built
    fixed = stmt.replace(text_call.args[0], query)
    fixed_stmt = Statement(fixed, ast.parse(fixed).body[0])
    outer = next((c for c in fixed_stmt.calls() if last_name(c.func) == "execute" and c.args), None)
    bound = "{" + ", ".join(params) + "}"
    if outer is None:
        return fixed + f"  # execute with {bound}"
    return fixed_stmt.replace(outer.args[0], f"{fixed_stmt.segment(outer.args[0])}, {bound}")


def _extra(stmt: Statement, call: ast.Call) -> str | None:
    where = next((k.value for k in call.keywords if k.arg == "where"), None)
    if not isinstance(where, ast.List) or not where.elts:
        return None
    queries, params = [], []
    for element in where.elts:
        built = _placeholders(stmt, element, "format")
        if built is None:
            return None
        queries.append(built[0])
        params += built[1]
    if not params:
        return None
    return stmt.replace(where, f"[{', '.join(queries)}], params=[{', '.join(params)}]")


def _placeholders(stmt: Statement, node: ast.expr, style: str) -> tuple[str, list[str]] | None:
    """(the constant SQL literal, the parameters), or None when `node` is not built SQL."""
    parts = string_parts(node)
    if parts is None or not any(isinstance(p, ast.expr) for p in parts):
        return None
    values = [p for p in parts if isinstance(p, ast.expr)]
    template = "".join(p if isinstance(p, str) else _MARK.format(values.index(p)) for p in parts)
    params: list[str] = []
    names: list[str] = []

    def bind(index: int, inner_text: str | None = None) -> str:
        value = values[index]
        expr = stmt.segment(value) if inner_text is None else inner_text
        name = value_name(stmt, value)
        while name in names:
            name += "_"
        names.append(name)
        if style == "named":
            params.append(f'"{name}": {expr}')
            return f":{name}"
        params.append(expr)
        return f"${len(params)}" if style == "dollar" else "%s"

    def one(match: re.Match[str]) -> str:
        if match.group(2) is not None:  # a bare value
            index = int(match.group(2))
            if _BEFORE_VALUE.search(template[:match.start()]):
                return bind(index)
            return _MARK.format(f"F{index}")  # SQL text, not a value: handled below
        inner = match.group(1)
        only = re.fullmatch(r"\0(\d+)\0", inner)
        if only:
            return bind(int(only.group(1)))
        return bind(int(_MARK_RE.search(inner).group(1)), _pattern_value(stmt, inner, values))  # type: ignore[union-attr]

    template = _VALUE.sub(one, template)
    fragments = re.findall(r"\0F(\d+)\0", template)
    if fragments:
        # a clause or identifier from the caller: only fixed fragments, chosen by key
        pieces = re.split(r"\0F(\d+)\0", template)
        out = []
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                if piece:
                    out.append(_quote(piece))
            else:
                value = values[int(piece)]
                out.append(f"ALLOWED_{value_name(stmt, value).upper()}[{stmt.segment(value)}]")
        return " + ".join(out), params
    return _quote(template), params


def _pattern_value(stmt: Statement, inner: str, values: list[ast.expr]) -> str:
    """The value a quoted SQL pattern becomes (`'%' + q + '%'` -> `f"%{q}%"`): an f-string in a
    quote none of its expressions uses (before 3.12 they may not reuse it), else concatenation."""
    pieces = _MARK_RE.split(inner)  # literal, index, literal, ...
    segments = [stmt.segment(values[int(piece)]) for piece in pieces[1::2]]
    for quote in ('"', "'"):
        if not any(quote in text for text in segments + pieces[0::2]):
            body = "".join(piece.replace("{", "{{").replace("}", "}}") if index % 2 == 0 else "{" + segments[index // 2] + "}"
                           for index, piece in enumerate(pieces))
            return f"f{quote}{body}{quote}"
    return " + ".join(_quote(piece) if index % 2 == 0 else f"str({segments[index // 2]})"
                      for index, piece in enumerate(pieces) if piece or index % 2)


def _tuple(params: list[str]) -> str:
    return "(" + ", ".join(params) + ("," if len(params) == 1 else "") + ")"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
