"""Files, sockets and connections opened without a guaranteed close.

## What it finds
A lock acquired with `lock.acquire()` and released later without `finally` (threading, asyncio
and multiprocessing locks, redis-py `r.lock(...)` objects: receivers named as locks);
`f = open(...)`, `conn = psycopg2.connect(...)`, `sock = socket.socket(...)`,
`smtp = smtplib.SMTP(...)`, `resp = urlopen(...)` bound to a local that is never closed,
returned, stored or handed on; and pool checkouts returned only on the happy path
(the `close()` / `putconn()` is not in a `finally` or a `with`). A pool checkout or a streamed
HTTP response (`await client.send(request, stream=True)`, `session.get(url, stream=True)`) that
an early exit leaves behind: a `raise` or `return` its own block reaches after the checkout and
before anything closes, returns, hands on (`BackgroundTask(resp.aclose)`) or, for a response,
reads its body (`if resp.status_code != 200: raise ...` ahead of `return resp`).

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
A resource handed to another function or object is assumed to be closed there. For an early
exit only the statements after the checkout in its own block are read (a `try` around the
checkout has nothing to leak in its handlers), and a release inside any branch is taken to cover
the statements after it, so a close on one path hides an exit on another (false negative).
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
_CLOSERS = frozenset({"close", "aclose", "quit", "shutdown", "disconnect", "terminate", "release", "__exit__"})
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
            var, api, kind = opened
            if kind == "stream":
                # read to the end, a streamed response gives its connection back by itself: only an
                # early exit that neither reads nor closes it keeps the connection
                if exit_line := _unclosed_exit(function.body, stmt, var, _BODY_READERS):
                    yield _exit_finding(module, stmt, var, api, exit_line)
                continue
            verdict = _fate(function, var, stmt.line)
            pooled = kind == "pool"
            if verdict == "safe" and pooled and (exit_line := _unclosed_exit(function.body, stmt, var)):
                yield _exit_finding(module, stmt, var, api, exit_line)
                continue
            # closed on the happy path, a file or a direct connection is released when the raising
            # frame is freed (nothing else refers to it); a pool keeps a reference to what it lent,
            # so a checkout skipped by an exception stays taken until the process restarts
            if verdict == "leaked" or (verdict == "happy-path" and pooled):
                yield _finding(module, stmt, var, api, verdict)


def _opened(stmt: ir.Stmt, scope: ModuleScope, function: ir.Function) -> tuple[str, str, str] | None:
    """(local, api, kind: file | connection | pool | stream) of a resource bound to a local."""
    if not isinstance(stmt, ir.Assign):
        return None
    value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) or not isinstance(value, ir.Call):
        return None
    api = call_name(value, scope, function)
    if api in _FILES or api in _CONNECTIONS:
        return stmt.targets[0].id, api, "file" if api in _FILES else "connection"
    if _pool_checkout(value):
        return stmt.targets[0].id, ir.dotted_name(value.func) or api, "pool"
    if _streamed_response(value):
        return stmt.targets[0].id, ir.dotted_name(value.func) or api, "stream"
    return None


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


_HTTP_METHODS = frozenset({"send", "request", "get", "post", "put", "patch", "delete", "head", "options"})


def _streamed_response(call: ir.Call) -> bool:
    """An HTTP response opened with `stream=True` (httpx `client.send(request, stream=True)`,
    requests `session.get(url, stream=True)`): its body is left unread, so its connection stays
    lent by the client's pool until the response is closed (`close()`, `aclose()`), as a pool
    checkout does; httpx counts it against `max_connections` until then."""
    names = chain(call)
    flag = call.kwarg("stream")
    return len(names) >= 2 and names[-1] in _HTTP_METHODS and isinstance(flag, ir.Const) and flag.value is True


# reading a streamed body to its end gives the connection back (requests and httpx both do)
_BODY_READERS = frozenset({"read", "aread", "content", "text", "json", "iter_content", "iter_lines", "iter_bytes",
                           "iter_text", "iter_raw", "aiter_bytes", "aiter_text", "aiter_lines", "aiter_raw", "raw"})


def _unclosed_exit(body: tuple[ir.Stmt, ...], opened: ir.Stmt, var: str,
                   readers: frozenset[str] = frozenset()) -> int:
    """The line of a `raise` (or a `return` of something else) that the statements after the
    checkout, in its own block, reach before `var` is closed, handed on or returned: on that path
    the checkout is never given back (`resp = await client.send(req, stream=True)`, then
    `if resp.status_code != 200: raise ...` before `return resp`). 0 when there is none. Only the
    checkout's own block is read: a `try` around the checkout has nothing to leak in its handlers."""
    block = _block_of(body, opened)
    if block is None:
        return 0
    index = next(i for i, s in enumerate(block) if s is opened)
    return max(_exit_before_release(block[index + 1:], var, readers), 0)


def _block_of(body: tuple[ir.Stmt, ...], stmt: ir.Stmt) -> tuple[ir.Stmt, ...] | None:
    if any(s is stmt for s in body):
        return body
    for inner in body:
        for child in ir.child_blocks(inner):
            if (found := _block_of(child, stmt)) is not None:
                return found
    return None


def _exit_before_release(block: tuple[ir.Stmt, ...], var: str, readers: frozenset[str]) -> int:
    """In order, down every branch: the line of a raise or return reached first; 0 once a
    statement releases `var` (closes it, in `finally` or `with` too, returns it, hands it on, or
    reads it through one of `readers`; inside a branch too, so a release on one path is taken
    to cover the rest); -1 when the block does neither."""
    for stmt in block:
        if _releases_resource(stmt, var) or (readers and _reads(stmt, var, readers)):
            return 0
        if isinstance(stmt, (ir.Raise, ir.Return)):
            return stmt.line
        for child in ir.child_blocks(stmt):
            if (found := _exit_before_release(child, var, readers)) >= 0:
                return found
    return -1


def _reads(stmt: ir.Stmt, var: str, readers: frozenset[str]) -> bool:
    return any(isinstance(node, ir.Attr) and node.attr in readers and _is(node.value, var)
               for top in ir.stmt_exprs(stmt) for node in ir.walk_expr(top))


def _releases_resource(stmt: ir.Stmt, var: str) -> bool:
    if isinstance(stmt, ir.Return):
        return stmt.value is not None and (_is(stmt.value, var) or any(_is(node, var) for node in ir.walk_expr(stmt.value)))
    if isinstance(stmt, ir.Try) and any(_closes(s, var) for s in ir.walk_stmts(stmt.finalbody)):
        return True
    if isinstance(stmt, ir.With) and any(_is(node, var) for item in stmt.items for node in ir.walk_expr(item.context)):
        return True
    return _closes(stmt, var) or _escapes(stmt, var)


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
        if any(_is(a, var) or _closer_of(a, var) for a in call.args) \
                or any(_is(k.value, var) or _closer_of(k.value, var) for k in call.kwargs):
            return True
    for top in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(top):
            if isinstance(node, ir.Opaque) and node.kind.startswith("yield") and any(_is(c, var) for c in node.children):
                return True
            if isinstance(node, (ir.Seq, ir.DictExpr)) and any(_is(c, var) for c in ir.child_exprs(node)):
                return True
    return False


def _closer_of(expr: ir.Expr, var: str) -> bool:
    """`resp.aclose` handed to a call (`BackgroundTask(resp.aclose)`): whoever runs it closes `var`."""
    return isinstance(expr, ir.Attr) and expr.attr in _CLOSERS and _is(expr.value, var)


def _exit_finding(module: ir.Module, stmt: ir.Stmt, var: str, api: str, exit_line: int) -> Finding:
    return make_finding(
        "resource-leak", Location(module.path, stmt.line, stmt.end_line),
        f"`{var}` from `{api}` is never given back when line {exit_line} leaves early",
        f"`{var}` holds a connection its pool lent (a pool checkout, or a response opened with `stream=True`), "
        f"and the path that leaves at line {exit_line} neither closes it nor hands it on: every call that takes "
        "that path keeps one connection of the pool for good. httpx's pool allows 100 by default; once they "
        "are taken, every request waits and fails with a pool timeout until the process restarts.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=Fix(f"Close `{var}` before leaving early (`await {var}.aclose()` / `{var}.close()`), or open it in "
                "a `with` block and hand on only what the caller needs.",
                f"if ...:  # the early exit at line {exit_line}\n    await {var}.aclose()  # or {var}.close()\n"
                f"    raise ...\n", "python"),
        rule=RULE.id, key=f"{var}:{api}:exit",
    )


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
