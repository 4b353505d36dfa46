"""A secret literal replaced by a read from the environment, in the statement that holds it.

`KEY = "sk_live_..."` -> `KEY = os.environ["KEY"]`; `os.getenv("KEY", "fallback")` loses
the fallback; `{"Authorization": "Bearer sk_..."}` keeps its `Bearer ` prefix; a URL keeps
everything but its password; `password == "literal"` becomes a timing-safe comparison with
the environment value. A dict entry or keyword argument on a line of its own is parsed in a
dict or call around it and shown that way.
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import Statement, dotted, statement

_SCHEMES = ("Bearer ", "Token ", "Basic ", "token ", "bearer ")
_URL_PASSWORD = re.compile(r"^(\w[\w+.-]*://[^:/@\s]*:)([^@/\s]+)(@.+)$")


def env_name(name: str) -> str:
    """`aws_secret_access_key` -> AWS_SECRET_ACCESS_KEY, `app.config["SECRET_KEY"]` -> SECRET_KEY."""
    inner = re.findall(r"""["']([^"']+)["']""", name)
    base = inner[-1] if inner else name.rsplit(".", 1)[-1]
    return re.sub(r"[^A-Z0-9]+", "_", base.upper()).strip("_") or "SECRET_VALUE"


def from_environment(line: str, name: str = "") -> str | None:
    """The statement (or dict entry / keyword line) `line` with its secret literal read from
    the environment variable named after `name` (or the target it is assigned to)."""
    stmt = statement(line)
    if stmt is not None:
        return _in_statement(stmt, name)
    entry = line.strip().rstrip(",")
    for opener, closer in (("{", "}"), ("f(", ")")):
        text = opener + entry.rstrip("}").rstrip() + closer if opener == "{" else opener + entry + closer
        wrapped = statement(text)
        if wrapped is not None:
            fixed = _in_statement(wrapped, name)
            if fixed is None:
                return None
            return fixed if opener == "{" else fixed[len(opener):-len(closer)] + ","
    return None


def _in_statement(stmt: Statement, name: str) -> str | None:
    node = stmt.node
    target = ""
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        target = stmt.segment(node.targets[0] if isinstance(node, ast.Assign) else node.target)
    for call in stmt.calls():  # os.getenv("X", "fallback") / os.environ.get("X", "fallback")
        if dotted(call.func) in ("os.getenv", "os.environ.get", "getenv") and len(call.args) == 2 \
                and isinstance(call.args[0], ast.Constant):
            return stmt.replace(call, f"os.environ[{stmt.segment(call.args[0])}]")
    literal = _secret_literal(stmt)
    if literal is None:
        return None
    key = _dict_key(stmt, literal)
    env = env_name(name or key or target or "SECRET_VALUE")
    value = str(literal.value)
    read = f'os.environ["{env}"]'
    prefix = next((p for p in _SCHEMES if value.startswith(p)), "")
    url = _URL_PASSWORD.match(value)
    if prefix:
        new = f'"{prefix}" + {read}'
    elif url:
        env = env_name(value.split("://", 1)[0]) + "_PASSWORD"
        new = f'f"{url.group(1)}{{os.environ[\'{env}\']}}{url.group(3)}"'
    else:
        new = read
    compare = _compared(stmt, literal)
    if compare is not None:
        other = compare.left if compare.comparators[0] is literal else compare.comparators[0]
        return stmt.replace(compare, f"hmac.compare_digest({stmt.segment(other)}, {read})") + _body(stmt)
    return stmt.replace(literal, new) + _body(stmt)


def _secret_literal(stmt: Statement) -> ast.Constant | None:
    """The longest string literal of the assigned value (of the statement when it assigns
    nothing) that is not a dict key or a subscript."""
    node = stmt.node
    scope = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None else node
    keys = {id(k) for n in ast.walk(scope) if isinstance(n, ast.Dict) for k in n.keys if k is not None}
    keys |= {id(n.slice) for n in ast.walk(scope) if isinstance(n, ast.Subscript)}
    found = [n for n in ast.walk(scope) if isinstance(n, ast.Constant) and isinstance(n.value, str)
             and id(n) not in keys and n.value]
    return max(found, key=lambda n: len(n.value), default=None)


def _dict_key(stmt: Statement, literal: ast.Constant) -> str:
    for node in ast.walk(stmt.node):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if value is literal and isinstance(key, ast.Constant):
                    return str(key.value)
        if isinstance(node, ast.keyword) and node.value is literal and node.arg:
            return node.arg
    return ""


def _compared(stmt: Statement, literal: ast.Constant) -> ast.Compare | None:
    return next((n for n in ast.walk(stmt.node) if isinstance(n, ast.Compare) and len(n.ops) == 1
                 and isinstance(n.ops[0], ast.Eq) and literal in (n.left, n.comparators[0])), None)


def _body(stmt: Statement) -> str:
    return "\n    ...  # body unchanged" if stmt.text.rstrip().endswith(":") else ""
