"""A statement that switches TLS verification off, rewritten to keep it on.

The same call or assignment with the one value changed: `verify=False` -> the CA bundle (or
the system store), `ssl=False` -> a verifying context, `CERT_NONE` -> `CERT_REQUIRED`,
`check_hostname = False` -> True, `_create_unverified_context()` -> `create_default_context()`.
A process-wide switch (`ssl._create_default_https_context = ...`) has no rewrite: the fix is
to delete it, which the description says.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import Statement, last_name, statement

_CA_BUNDLE = 'os.environ.get("CA_BUNDLE", True)'
_BODY = "\n    ...  # body unchanged"


def verifying(code: str) -> str | None:
    """`code` with certificate verification back on; None when there is nothing to rewrite."""
    stmt = statement(code)
    if stmt is None:
        return None
    edits: list[tuple[ast.AST, str]] = []
    context = False
    for node in ast.walk(stmt.node):
        if isinstance(node, ast.keyword) and _is_false(node.value):
            if node.arg == "verify":
                edits.append((node.value, _CA_BUNDLE))
            elif node.arg in ("ssl", "verify_ssl"):
                edits.append((node, "ssl=ssl_context"))
                context = True
        elif isinstance(node, ast.keyword) and node.arg == "cert_reqs" and _names_cert_none(node.value):
            edits.append((node.value, '"CERT_REQUIRED"' if isinstance(node.value, ast.Constant) else
                          stmt.segment(node.value).replace("CERT_NONE", "CERT_REQUIRED")))
        elif isinstance(node, ast.Call) and last_name(node.func) == "_create_unverified_context" \
                and isinstance(stmt.node, (ast.Assign, ast.AnnAssign, ast.Return, ast.Expr)) \
                and not _assigns_default_context(stmt):
            edits.append((node.func, stmt.segment(node.func).replace("_create_unverified_context", "create_default_context")))
    edits += _assignment(stmt)
    if not edits:
        return None
    fixed = stmt.replace_many(edits)
    if context:
        fixed = "ssl_context = ssl.create_default_context()  # cafile=... for a private CA\n" + fixed
    return fixed + _BODY if fixed.rstrip().endswith(":") else fixed


def _assignment(stmt: Statement) -> list[tuple[ast.AST, str]]:
    node = stmt.node
    if not isinstance(node, ast.Assign) or not isinstance(node.targets[0], ast.Attribute):
        return []
    attr = node.targets[0].attr
    if attr == "verify" and _is_false(node.value):
        return [(node.value, _CA_BUNDLE)]
    if attr == "check_hostname" and _is_false(node.value):
        return [(node.value, "True")]
    if attr == "verify_mode" and _names_cert_none(node.value):
        return [(node.value, stmt.segment(node.value).replace("CERT_NONE", "CERT_REQUIRED"))]
    return []


def _assigns_default_context(stmt: Statement) -> bool:
    """`ssl._create_default_https_context = ...`: a process-wide switch, deleted rather than rewritten."""
    node = stmt.node
    return isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "_create_default_https_context"
                                                for t in node.targets)


def _is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def _names_cert_none(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and node.value == "CERT_NONE") or last_name(node) == "CERT_NONE"
