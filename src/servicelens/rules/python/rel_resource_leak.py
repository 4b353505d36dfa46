"""Files, sockets and connections opened without a guaranteed close.

## What it finds
A lock acquired with `lock.acquire()` and released later without `finally` (threading, asyncio
and multiprocessing locks, redis-py `r.lock(...)` objects: receivers named as locks);
`f = open(...)`, `conn = psycopg2.connect(...)`, `sock = socket.socket(...)`,
`smtp = smtplib.SMTP(...)`, `resp = urlopen(...)` bound to a local that is never closed,
returned, stored or handed on; and pool checkouts returned only on the happy path
(the `close()` / `putconn()` is not in a `finally` or a `with`).

## Why it matters
A connection leaked per failing request exhausts the pool: with Postgres'
`max_connections = 100` and 4 workers, 25 leaked connections per worker and every new
request waits, then fails, until the process is restarted. Leaked file descriptors hit
the 1,024 `ulimit` the same way ("Too many open files").

## Example
```python
conn = pool.getconn()          # the pool keeps a reference to every connection it lends
cur = conn.cursor()
cur.execute("SELECT 1")        # raises: putconn never runs, the slot is taken for good
pool.putconn(conn)
```

## Fix
Use a context manager (`with psycopg2.connect(DSN) as conn, conn.cursor() as cur:`,
`with open(path) as f:`) or close in `finally`; better, reuse a pooled connection.

Connections checked out of a pool (`engine.raw_connection()`, `engine.connect()`,
`pool.getconn()`) are judged the same way: until closed or `putconn`-ed, the pool slot stays taken.

## Known problems
A resource handed to another function or object is assumed to be closed there.
A pool checkout is recognised by the method name (`raw_connection`, `getconn`, `connect` on a
receiver named `...engine`, `acquire` awaited or called on a receiver named `...pool`: asyncpg,
aiopg, aiomysql); other pool APIs are not.
Closed only on the happy path, files and direct connections (`smtplib.SMTP`,
`psycopg2.connect`, `socket.socket`) are not reported: when something raises, nothing but the
raising frame refers to them, and CPython closes them as soon as the exception is handled. A
connection checked out of a pool is reported: the pool keeps its own reference to what it lent,
so the slot stays taken after the exception.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import call_name, is_test_path, words
from servicelens.rules.python.rel_shared import chain, stmt_calls
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

_FILES = frozenset({"open", "io.open", "codecs.open", "tempfile.TemporaryFile", "tempfile.NamedTemporaryFile"})
_CONNECTIONS = frozenset({
    "socket.socket", "socket.create_connection", "sqlite3.connect", "psycopg2.connect", "psycopg.connect",
    "pymysql.connect", "MySQLdb.connect", "mysql.connector.connect", "smtplib.SMTP", "smtplib.SMTP_SSL",
    "ftplib.FTP", "urllib.request.urlopen", "http.client.HTTPConnection", "http.client.HTTPSConnection",
    "pika.BlockingConnection", "paramiko.SSHClient", "telnetlib.Telnet", "cx_Oracle.connect", "pyodbc.connect",
})
_CLOSERS = frozenset({"close", "quit", "shutdown", "disconnect", "terminate", "release", "__exit__"})
_RETURNERS = frozenset({"putconn", "release"})  # `pool.putconn(conn)` hands a checkout back


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    index = file_index(module, scope)
    for function in module.functions:
        for stmt in index.walk_stmts(function.body):
            lock = _acquired(stmt)
            if lock is not None and _released_plainly(function, lock, stmt.line):
                yield _lock_finding(module, stmt, lock)
                continue
            opened = _opened(stmt, scope, function)
            if opened is None:
                continue
            var, api = opened
            verdict = _fate(function, var, stmt.line)
            # closed on the happy path, a file or a direct connection is released when the raising
            # frame is freed (nothing else refers to it); a pool keeps a reference to what it lent,
            # so a checkout skipped by an exception stays taken until the process restarts
            if verdict == "leaked" or (verdict == "happy-path" and api not in _FILES
                                       and api not in _CONNECTIONS):
                yield _finding(module, stmt, var, api, verdict)


def _opened(stmt: ir.Stmt, scope: ModuleScope, function: ir.Function) -> tuple[str, str] | None:
    if not isinstance(stmt, ir.Assign):
        return None
    value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) or not isinstance(value, ir.Call):
        return None
    api = call_name(value, scope, function)
    if api in _FILES or api in _CONNECTIONS:
        return stmt.targets[0].id, api
    return (stmt.targets[0].id, ir.dotted_name(value.func) or api) if _pool_checkout(value) else None


_LOCK_WORDS = frozenset({"lock", "rlock", "mutex", "semaphore", "sem"})


def _acquired(stmt: ir.Stmt) -> str | None:
    """`lock.acquire()` / `await self._lock.acquire()` as a statement, on a receiver named as a lock
    (threading, asyncio and multiprocessing locks and semaphores, a redis-py `r.lock(...)` object):
    the receiver's dotted name, else None."""
    value = stmt.value if isinstance(stmt, ir.ExprStmt) else None
    value = value.value if isinstance(value, ir.Await) else value
    if not isinstance(value, ir.Call) or not isinstance(value.func, ir.Attr) or value.func.attr != "acquire":
        return None
    names = chain(value.func.value)
    return ".".join(names) if names and _LOCK_WORDS & set(words(names[-1])) else None


def _released_plainly(function: ir.Function, lock: str, line: int) -> bool:
    """Released later in the function, but never in a `finally` (nor in an `except` that re-raises
    after it): an exception between acquire and release leaves the lock held. A lock released in
    another function is not judged."""
    plain = False
    for stmt in ir.walk_stmts(function.body):
        if stmt.line <= line:
            continue
        if isinstance(stmt, ir.Try) and (any(_releases(s, lock) for s in ir.walk_stmts(stmt.finalbody))
                                         or any(_releases(s, lock) for h in stmt.handlers for s in ir.walk_stmts(h.body))):
            return False
        if _releases(stmt, lock):
            plain = True
    return plain


def _releases(stmt: ir.Stmt, lock: str) -> bool:
    return isinstance(stmt, (ir.ExprStmt, ir.Assign)) and any(
        (chain(c) or [""])[-1] == "release" and ".".join(chain(c)[:-1]) == lock for c in stmt_calls(stmt))


def _lock_finding(module: ir.Module, stmt: ir.Stmt, lock: str) -> Finding:
    return make_finding(
        "resource-leak", Location(module.path, stmt.line, stmt.end_line),
        f"`{lock}` is released only when nothing raises",
        "If the code between acquire() and release() raises, the lock stays held: every later request that "
        "needs it waits for ever (a process-local lock) or until its expiry (a Redis lock), so one failure "
        "stalls the whole feature.",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH,
        fix=Fix("Hold the lock in a `with` block (or release it in `finally`), so every path releases it.",
                f"with {lock}:\n    ...  # the guarded work\n", "python"),
        rule=RULE.id, key=f"lock:{lock}",
    )


def _pool_checkout(call: ir.Call) -> bool:
    """A connection taken from a pool: SQLAlchemy `engine.raw_connection()` / `engine.connect()`,
    psycopg2's `pool.getconn()`, asyncpg/aiopg's `await pool.acquire()` (a lock's `acquire` is no
    checkout: the receiver must be named as a pool). The pool gets it back only when it is closed
    (or `putconn` / `release`)."""
    names = chain(call)
    if len(names) < 2 or call.args:
        return False
    if names[-1] in ("raw_connection", "getconn"):
        return True
    if names[-1] == "acquire":
        return "pool" in names[-2].lower()
    return names[-1] == "connect" and "engine" in names[-2].lower()


def _fate(function: ir.Function, var: str, line: int) -> str:
    """"safe" (closed in finally/with, returned, stored, handed on), "happy-path" or "leaked"."""
    closed_plainly = False
    for stmt in ir.walk_stmts(function.body):
        if stmt.line <= line:
            continue
        if isinstance(stmt, ir.Try) and any(_closes(s, var) for s in ir.walk_stmts(stmt.finalbody)):
            return "safe"
        if isinstance(stmt, ir.With) and any(_is(item.context, var) or any(_is(a, var) for c in
                                             ir.walk_expr(item.context) if isinstance(c, ir.Call) for a in c.args)
                                             for item in stmt.items):
            return "safe"
        if isinstance(stmt, ir.Return) and stmt.value is not None and (
                _is(stmt.value, var) or isinstance(stmt.value, ir.Seq) and any(_is(e, var) for e in stmt.value.elts)):
            return "safe"
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _is(stmt.value, var) or _escapes(stmt, var):
            return "safe"
        if _closes(stmt, var):
            closed_plainly = True
    return "happy-path" if closed_plainly else "leaked"


def _is(expr: ir.Expr, var: str) -> bool:
    return isinstance(expr, ir.Name) and expr.id == var


def _closes(stmt: ir.Stmt, var: str) -> bool:
    return any(chain(c)[:1] == [var] and chain(c)[-1] in _CLOSERS
               or chain(c)[-1:] and chain(c)[-1] in _RETURNERS and any(_is(a, var) for a in c.args)
               for c in stmt_calls(stmt))


def _escapes(stmt: ir.Stmt, var: str) -> bool:
    """Passed as an argument, yielded, or stored in an attribute/container: someone else owns it."""
    for call in stmt_calls(stmt):
        if chain(call)[-1:] and chain(call)[-1] in _RETURNERS:
            continue  # `pool.putconn(conn)` is a close, judged by where it runs
        if any(_is(a, var) for a in call.args) or any(_is(k.value, var) for k in call.kwargs):
            return True
    for top in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(top):
            if isinstance(node, ir.Opaque) and node.kind.startswith("yield") and any(_is(c, var) for c in node.children):
                return True
            if isinstance(node, (ir.Seq, ir.DictExpr)) and any(_is(c, var) for c in ir.child_exprs(node)):
                return True
    return False


def _finding(module: ir.Module, stmt: ir.Stmt, var: str, api: str, verdict: str) -> Finding:
    kind = "file" if api in _FILES else "connection"
    if verdict == "leaked":
        title = f"`{var}` from `{api}` is never closed"
    else:
        title = f"`{var}` from `{api}` is closed only when nothing raises"
    line = strip_comment(module.line_text(stmt.line))
    rhs = line.split("=", 1)[1].strip() if "=" in line else f"{api}(...)"
    return make_finding(
        "resource-leak", Location(module.path, stmt.line, stmt.end_line), title,
        ("Each call that fails between open and close leaks one " + kind + ". " if verdict != "leaked" else
         f"Every call leaks one {kind} until garbage collection, if ever. ")
        + "With Postgres' max_connections = 100 shared by 4 workers, 25 leaked connections per worker and new "
          "requests wait and fail; leaked descriptors hit the 1,024 ulimit (\"Too many open files\").",
        severity=Severity.MEDIUM if kind == "connection" else Severity.LOW,
        confidence=Confidence.HIGH if verdict == "leaked" else Confidence.MEDIUM,
        fix=Fix("Open it in a `with` block so it is closed on every path, exceptions included.",
                f"with {rhs} as {var}:\n    ...  # use {var} here\n", "python"),
        rule=RULE.id, key=f"{var}:{api}",
    )


RULE = Rule("py-resource-leak", frozenset({"resource-leak"}), "python", check)
