"""Where a process-wide socket timeout is in force: `socket.setdefaulttimeout(n)`.

The standard library's socket clients (`urlopen`, `http.client`, `smtplib`, `ftplib`,
`socket.create_connection`) take their timeout from `socket.getdefaulttimeout()` when none is
passed, so a default set before the call bounds it as a keyword would. It is in force after the
statement that sets it, in the same block and whatever that block nests (a branch setting it just
before its `urlopen`), and for a whole module when the module sets it at import, before any of its
functions runs. Clients that pass their own timeout to the socket (requests passes `None`, redis-py
its `socket_timeout`) or use no Python socket (httpx on anyio, libpq) are not covered.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.taint.scope import ModuleScope

# stdlib clients whose sockets take the process default when no timeout is passed
SOCKET_DEFAULT_CLIENTS = frozenset({
    "urllib.request.urlopen", "http.client.HTTPConnection", "http.client.HTTPSConnection",
    "smtplib.SMTP", "smtplib.SMTP_SSL", "socket.create_connection", "ftplib.FTP", "ftplib.FTP_TLS",
})
_SETTER = "socket.setdefaulttimeout"

Span = tuple[int, int]  # first and last line, inclusive


def socket_default_spans(body: tuple[ir.Stmt, ...], scope: ModuleScope, function: ir.Function | None) -> list[Span]:
    """The lines of `body` (and its nested blocks) that run after a `socket.setdefaulttimeout(n)`
    with a timeout (not `None`) earlier in the same block: from that statement to the block's end."""
    spans: list[Span] = []
    blocks = [body]
    while blocks:
        block = blocks.pop()
        for stmt in block:
            if _sets_default(stmt, scope, function):
                spans.append((stmt.end_line + 1, block[-1].end_line))
                break
        blocks.extend(nested for stmt in block for nested in ir.child_blocks(stmt))
    return spans


def sets_default_at_import(module: ir.Module, scope: ModuleScope) -> bool:
    """The module sets a socket default timeout among its own top-level statements: every function
    of it runs after the import that ran them."""
    return any(_sets_default(stmt, scope, None) for stmt in module.body)


def _sets_default(stmt: ir.Stmt, scope: ModuleScope, function: ir.Function | None) -> bool:
    if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.value, ir.Call):
        return False
    call = stmt.value
    raw = ir.dotted_name(call.func) or ""
    if (scope.qualify(raw, function, set()) or raw) != _SETTER or not call.args:
        return False
    value = call.args[0]
    return not (isinstance(value, ir.Const) and value.value is None)
