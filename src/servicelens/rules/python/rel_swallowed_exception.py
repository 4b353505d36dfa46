"""Broad `except` blocks that make failures disappear.

## What it finds
`except:`, `except Exception:` or `except BaseException:` (and `with contextlib.suppress(Exception):`
around a write, send or commit, the same handler written as a context manager, judged as one whose
body passes, unless it ends a loop body and so skips an item) whose body only passes,
continues, returns a default or logs below warning level: it neither re-raises, logs the
error with its traceback, reports it (Sentry and friends), returns an error response, nor
records the failure anywhere (`errors.append(e)`, `job.status = "failed"`).

Designed fallbacks are not reported: when the guarded code only computes a value (no
write, commit, send, charge or other call made for its effect, no attribute assignment) and
the handler substitutes one (`return ""`, `image = None`, `continue` to skip an item, or
`pass` keeping a value bound before the `try`: only what the code after the `try` reads
counts, not the attempt's own temporaries), the failure degrades to a default by design. An
attribute the function set to a default before the `try` (`record.user = "-"`, then `try:
record.user = current_user()`) is such a value too. A `with`
that opens a client or a file to read is part of such a computation. A handler that logs at warning level or above is not silent. A catch around a write,
a send or a payment is reported at medium severity; other catches stay low.

Trying candidates in turn is not a swallow either: a loop whose `try` returns (then a `raise`
after the loop) or breaks out on success (then a `raise` in the loop's `else:`) fails loudly when
every candidate fails. An attempt with a second way is a fallback too: a `try` that returns on success (and only
computes) with a handler that passes, followed by other code that answers instead (`return
parse_loose(text)`, `raise TypeError(...)`, the next probe). So is a `try` that only reports
(a log line, a metric, an error-tracker call: its failure has nowhere better to go) or only
deletes a key, a handler that writes the failure down as a status token for the program
(`"probe-failed"`, `"timeout"`; a message for a person does not count), and, off the request
path, a read whose handler logs the exception itself at info level.

A handler that falls through without binding what the `try` would have bound, when the next
statement reads it, is reported even when it logs the exception at info level: the
UnboundLocalError that follows is what operators see, not the first error.

A handler that writes the failure out is not silent either: a log call with `exc_info=True`
at any level or `traceback.print_exc()` records the traceback, and outside request handlers a
`print` of the exception or of a failure message is how a command or worker reports to its
operator. A handler that makes the guarded call again lets a second failure propagate
(a retry), and a handler that substitutes a value for what the `try` computes (another way to
build the returned value, `return plain.format(...)`, or a fallback written to the very place
the `try` writes, `labels[k] = raw`) is a designed fallback.

## Why it matters
Every kind of failure, including bugs (a `TypeError`, a `KeyError` after a refactor)
and outages (the database or a payment provider down), becomes "success". Nothing
reaches logs, metrics or alerts; a webhook that fails for 3 days looks healthy until a
customer asks where their order is. A bare `except:` also swallows `KeyboardInterrupt`
and `SystemExit`, so a worker cannot be stopped cleanly.

## Example
```python
try:
    send_receipt(order)
except Exception:
    pass
```

## Fix
Catch the exceptions you expect (`except SMTPException:`), and for the rest log with the
traceback and re-raise or report: `logger.exception("receipt failed for %s", order.id)`.

## Known problems
On a request entry point a handler that only passes is still reported even around a read
(the client gets a silently empty answer). Whether a call is a write is judged from its
name (`save`, `create`, `send`, `charge`, `post` ...); a call of a project function with a
neutral name (`tickets = issue_tickets(order)`) is judged once every file is read, by what the
function does: when it, or a project function it reaches, writes (analysis/state_changes.py), the
handler, which gives the work up without standing anything in for it (a bare `return`, `pass`,
`continue`), hides a lost write and is reported at medium severity; one that substitutes a value
(`return []`, `x = None`, or `return None` in a function that otherwise returns a value) is a designed
fallback whatever the call does. A `try` that calls
anything named as asking for a value or a test (`Machine.current()`, `get_identities(...)`,
`path.exists()`, `dir_is_writable(...)`) keeps its default by design, whatever the function writes
on the way. A write behind a neutral
name in a library, or in a project function the call graph does not resolve, is taken for a read.
Handlers around imports only (optional dependencies), around cleanup calls only
(`close`, `unlink`, `rmtree` ...), around awaiting a task already started (`await task`: reaping it) and around a single type conversion are not reported:
they are deliberate and local. A helper that logs and is called from the handler body is
not seen as logging, so it counts as swallowing. A handler that only logs (even at warning)
around a write, send or payment is reported when the code after the `try` then records
success (`job.status = "sent"`, `order.is_paid = True`): the record claims work that failed.
A handler that answers with an explicit 2xx status (`return Response(error("..."), 200)`) is not
an error response: monitoring and clients see success, so it is judged like a silent handler.
The check is by statement order in the function, not by path, so a success state written on a
branch the failure cannot reach is still reported (false positive).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.fixcode import parses, strip_comment
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Inspects, Rule, all_bodies
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python.rel_shared import (chain, is_entry_point, is_script_path, is_tooling_path,
                                                  stmt_calls)
from servicelens.taint.scope import ModuleScope

_BROAD = frozenset({"Exception", "BaseException"})
_QUIET_LOG = frozenset({"debug", "info", "print", "pprint", "trace"})
_REPORTED_LOG = frozenset({"exception", "error", "critical", "fatal"})
_REPORT_WORDS = ("capture", "sentry", "rollbar", "bugsnag", "report", "notify", "alert", "metric", "increment",
                 "incr", "fail", "error", "retry", "abort", "exit", "statsd", "record")
_CLEANUP = frozenset({"close", "unlink", "remove", "rmtree", "rmdir", "shutdown", "terminate", "kill", "disconnect",
                      "cancel", "release", "stop", "cleanup", "delete", "quit", "join", "flush", "discard"})
_CONVERSIONS = frozenset({"int", "float", "Decimal", "UUID", "bool", "str"})
_PARSE_WORDS = ("parse", "load", "decode", "from_", "convert", "unquote", "strptime", "isoformat", "literal_eval",
                "validate", "or_error")
_EFFECT_WORDS = frozenset({"save", "create", "update", "delete", "remove", "insert", "add", "commit", "flush",
                           "merge", "write", "send", "sendmail", "post", "put", "patch", "publish", "emit",
                           "enqueue", "delay", "charge", "capture", "refund", "pay", "payout", "transfer",
                           "execute", "executemany", "upload", "set", "incr", "decr", "push", "store", "persist",
                           "submit", "apply", "run", "process", "sync", "notify", "mail", "deliver", "dispatch"})
_EMPTY = frozenset({"list", "dict", "set", "tuple", "frozenset", "str", "bytes", "object"})
_RESPONSE_WORDS = ("render", "redirect", "response", "jsonify", "json", "abort", "error", "fail")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or is_tooling_path(module.path) or is_script_path(module.path):
        return  # tests, tool configs such as .semgrep/ rule fixtures, one-off scripts
    index = file_index(module, scope)
    yield from _suppressed(module, scope, index)
    for function, body in index.bodies_with(ir.Try, all_bodies(module)):
        if function is not None and function.name in ("__del__", "__exit__", "__aexit__", "close"):
            continue
        request = function is not None and is_entry_point(function, scope)
        bound = {p.name for p in function.params} if function is not None else set()
        statements = list(index.walk_stmts(body))
        for stmt in statements:
            if not isinstance(stmt, ir.Try) or _deliberate(stmt.body):
                continue
            for handler in stmt.handlers:
                if not _broad(handler) or _next_candidate(body, stmt, handler) \
                        or _tries_first(body, stmt, handler):
                    continue
                if _leaves_unbound(body, stmt, handler, bound) and not _handled(handler, request):
                    yield _finding(module, stmt, handler)
                elif not _handled(handler, request) and not _retries(stmt, handler) \
                        and not (not request and _logs_read_failure(stmt, handler)):
                    if not _fallback(stmt, handler, request, bound | _bound_before(body, stmt.line),
                                     _read_after(body, stmt.end_line), _preset_before(body, stmt.line)):
                        yield _finding(module, stmt, handler)
                    elif function is not None:
                        # a fallback only while the project functions it calls write nothing: decided
                        # once every file is read (`behind_writers`)
                        yield from _pending_behind_callees(module, function, stmt, handler)
                elif _only_logs(handler) and not _computes_only(stmt.body):
                    success = _success_after(statements, stmt)
                    if success is not None:
                        yield _finding(module, stmt, handler, success)


def _suppressed(module: ir.Module, scope: ModuleScope, index) -> Iterable[Finding]:
    """`with contextlib.suppress(Exception):` is `try: ... except Exception: pass` written as a
    context manager (the stdlib documents it so): judged as that `try`, on the `with` line, when
    what it guards does something (a write, a send, a commit: `_effect`) and it does not end a loop
    body (there it skips the item, as `except: continue` does)."""
    for function, body in index.bodies_with(ir.With, all_bodies(module)):
        if function is not None and function.name in ("__del__", "__exit__", "__aexit__", "close"):
            continue
        request = function is not None and is_entry_point(function, scope)
        bound = {p.name for p in function.params} if function is not None else set()
        skips = {id(loop.body[-1]) for loop in index.walk_stmts(body)
                 if isinstance(loop, (ir.For, ir.While)) and loop.body}
        for stmt in index.walk_stmts(body):
            if not isinstance(stmt, ir.With) or _deliberate(stmt.body) or id(stmt) in skips \
                    or not any(_effect_in(s) for s in ir.walk_stmts(stmt.body)):
                continue  # the last statement of a loop body skips an item; a read falls back to a default
            for item in stmt.items:
                types = _suppressed_types(item.context)
                if types is None:
                    continue
                handler = ir.Handler(stmt.line, stmt.line, types, None, (ir.Jump(stmt.line, stmt.line, "pass"),))
                as_try = ir.Try(stmt.line, stmt.end_line, stmt.body, (handler,))
                if _broad(handler) and not _fallback(as_try, handler, request, bound | _bound_before(body, stmt.line)):
                    yield _finding(module, as_try, handler)


def _suppressed_types(context: ir.Expr) -> ir.Expr | None:
    """The exception types of `suppress(A, B)` (a tuple of them when several), else None."""
    if not isinstance(context, ir.Call) or (chain(context) or [""])[-1] != "suppress" or not context.args:
        return None
    if len(context.args) == 1:
        return context.args[0]
    return ir.Seq(context.line, context.col, "tuple", context.args)


def _broad(handler: ir.Handler) -> bool:
    if handler.types is None:
        return True
    types = handler.types.elts if isinstance(handler.types, ir.Seq) else (handler.types,)
    return any((chain(t) or [""])[-1] in _BROAD for t in types)


def _deliberate(body: tuple[ir.Stmt, ...]) -> bool:
    """Optional imports, best-effort cleanup, a single parse: narrow intent, not hidden failures."""
    if all(isinstance(s, (ir.ImportStmt, ir.Jump)) for s in body):
        return True
    if body and all(isinstance(s, ir.Delete) for s in body):
        return True  # `del response["Allow"]`: the only failure is the key being absent already
    if _telemetry_only(body):
        return True  # the guarded code reports (a log line, a metric, Sentry): nowhere left to report its failure
    if body and all(isinstance(s, ir.ExprStmt) and isinstance(s.value, ir.Await)
                    and isinstance(s.value.value, (ir.Name, ir.Attr)) for s in body):
        return True  # `await task` after cancelling it or reading its outcome: reaping, like `join()`
    calls = [chain(c) for s in ir.walk_stmts(body) for c in stmt_calls(s)]
    if calls and all(names and names[-1] in _CLEANUP for names in calls):
        return True
    return len(body) == 1 and bool(calls) and all(
        names and (names[-1] in _CONVERSIONS or any(w in names[-1].lower() for w in _PARSE_WORDS)) for names in calls)


_TELEMETRY_WORDS = ("log", "metric", "sentry", "statsd", "telemetry", "counter", "gauge", "histogram", "tracer",
                    "span", "capture_message", "capture_exception")


def _telemetry_only(body: tuple[ir.Stmt, ...]) -> bool:
    """Every call made for its effect writes a log line or a metric, or reports to an error tracker
    (`LOG.debug(...)`, `registry.events_counter.add(1)`, `sentry_sdk.capture_message(msg)`), and
    everything else only binds locals: a failure there has no better place to go than its own
    handler, and re-raising would break the work the reporting observes."""
    effects = 0
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.ExprStmt):
            call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            names = chain(call) if isinstance(call, ir.Call) else []
            if not names or not (names[-1] in _LOG_CALLS or any(w in n.lower() for n in names for w in _TELEMETRY_WORDS)):
                return False
            effects += 1
        elif isinstance(stmt, ir.Assign):
            if not all(isinstance(t, ir.Name) for t in stmt.targets):
                return False
        elif not isinstance(stmt, (ir.If, ir.ImportStmt)):
            return False
    return effects > 0


def _tries_first(body: tuple[ir.Stmt, ...], try_stmt: ir.Try, handler: ir.Handler) -> bool:
    """`try: return parse_strict(text) except Exception: pass` followed by another way (`return
    parse_loose(text)`, `raise TypeError(...)`, the next probe): success leaves the function, a
    failure only selects the code after the `try`, which answers instead. The guarded code only
    computes (no write or send whose loss would go unseen)."""
    if not any(isinstance(s, ir.Return) for s in ir.walk_stmts(try_stmt.body)) or not _computes_only(try_stmt.body):
        return False
    if not all((isinstance(s, ir.Jump) and s.kind == "pass") or _quiet_log(s) for s in handler.body):
        return False
    return any(not _quiet_log(s) for s in _following(body, try_stmt))  # the fallback's work, not a log line


def _following(block: tuple[ir.Stmt, ...], target: ir.Stmt) -> tuple[ir.Stmt, ...]:
    """What runs next after `target` completes normally: the rest of its block, or when it ends
    its block, what follows the `if`/`with`/`try` around it (a loop body's end goes back to the loop)."""
    for i, stmt in enumerate(block):
        if stmt is target:
            return block[i + 1:]
        for child in ir.child_blocks(stmt):
            if any(s is target for s in ir.walk_stmts(child)):
                inner = _following(child, target)
                if inner or isinstance(stmt, (ir.For, ir.While)):
                    return inner
                return block[i + 1:]
    return ()


def _block_of(body: tuple[ir.Stmt, ...], target: ir.Stmt) -> tuple[ir.Stmt, ...] | None:
    """The statement list that holds `target` directly."""
    if any(s is target for s in body):
        return body
    for stmt in body:
        for child in ir.child_blocks(stmt):
            found = _block_of(child, target)
            if found is not None:
                return found
    return None


def _leaves_unbound(body: tuple[ir.Stmt, ...], try_stmt: ir.Try, handler: ir.Handler, params: set[str]) -> bool:
    """The handler falls through without binding what the `try` would have bound, and the code after
    reads it: the next line fails with an UnboundLocalError (or NameError) that hides the first error
    unless the handler recorded it (`_handled`)."""
    if any(isinstance(s, (ir.Return, ir.Raise, ir.Jump)) and not (isinstance(s, ir.Jump) and s.kind == "pass")
           for s in handler.body):
        return False
    if any((chain(c) or [""])[-1] in _NO_RETURN for s in ir.walk_stmts(handler.body) for c in stmt_calls(s)):
        return False  # `abort(500)`, `sys.exit(1)`: the handler does not fall through
    block = _block_of(body, try_stmt)
    if block is None or block is not body:
        return False  # inside a loop or a branch another iteration or path may have bound it
    made = ir.assigned_names(ir.walk_stmts(try_stmt.body)) - ir.assigned_names(ir.walk_stmts(handler.body)) \
        - params - _bound_before(body, try_stmt.line)
    if not made:
        return False
    after = block[block.index(try_stmt) + 1:]
    if not after:
        return False
    first = after[0]
    return any(isinstance(n, ir.Name) and n.id in made for top in ir.stmt_exprs(first) for n in ir.walk_expr(top))


def _next_candidate(body: tuple[ir.Stmt, ...], try_stmt: ir.Try, handler: ir.Handler) -> bool:
    """`for key in keys: try: return key.decrypt(c) except Exception: continue`, then `raise`
    after the loop (or in its `else:`): a success leaves the loop, a failure moves on to the next
    candidate, and when every candidate has failed the function raises. Nothing is hidden."""
    if not all(isinstance(s, ir.Jump) or _quiet_log(s) for s in handler.body):
        return False
    if any(isinstance(s, ir.Return) for s in ir.walk_stmts(try_stmt.body)):
        return bool(_loop_then_raises(body, try_stmt))
    # `for conn in candidates: try: ...; break  except Exception: pass  else: raise NoConnection`:
    # the loop's `else:` runs only when no candidate succeeded
    return _breaks_out(try_stmt.body) and _loop_else_raises(body, try_stmt)


def _breaks_out(block: tuple[ir.Stmt, ...]) -> bool:
    """A `break` in the block that leaves the loop around it (not one of a loop inside the block)."""
    for stmt in block:
        if isinstance(stmt, ir.Jump) and stmt.kind == "break":
            return True
        if not isinstance(stmt, (ir.For, ir.While)) and any(_breaks_out(child) for child in ir.child_blocks(stmt)):
            return True
    return False


def _loop_else_raises(block: tuple[ir.Stmt, ...], target: ir.Try) -> bool:
    """The innermost loop around `target` ends its `else:` with a `raise`."""
    for stmt in block:
        for child in ir.child_blocks(stmt):
            if any(s is target for s in ir.walk_stmts(child)):
                if isinstance(stmt, (ir.For, ir.While)) and any(s is target for s in stmt.body):
                    return bool(stmt.orelse) and isinstance(stmt.orelse[-1], ir.Raise)
                return _loop_else_raises(child, target)
    return False


def _loop_then_raises(block: tuple[ir.Stmt, ...], target: ir.Try) -> bool | None:
    """For the innermost loop around `target`: does a `raise` follow it (or end its `else:`)?
    None when `target` is in no loop of this block."""
    for i, stmt in enumerate(block):
        for child in ir.child_blocks(stmt):
            found = _loop_then_raises(child, target)
            if found is not None:
                return found
        if isinstance(stmt, (ir.For, ir.While)) and any(s is target for s in ir.walk_stmts(stmt.body)):
            follows = block[i + 1] if i + 1 < len(block) else None
            return isinstance(follows, ir.Raise) or bool(stmt.orelse and isinstance(stmt.orelse[-1], ir.Raise))
    return None


def _quiet_log(stmt: ir.Stmt) -> bool:
    return isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
        and (chain(stmt.value) or [""])[-1] in _QUIET_LOG


def _fallback(try_stmt: ir.Try, handler: ir.Handler, request: bool, bound: set[str],
              read_after: set[str] | None = None, preset: frozenset[str] = frozenset()) -> bool:
    """A designed fallback: the guarded code only computes a value (no write, send, commit or
    payment call; no statement run for its side effect) and the handler substitutes one:
    `return <default>`, `value = <default>`, `continue`/`break` to skip an item, or `pass`
    that keeps a value bound before the `try` (a name, or an attribute the function set to a
    default first: `record.user = "-"`, then `try: record.user = current_user()`). On a request
    entry point a handler that only passes still hides the failure from the client, so it stays
    reported."""
    if not _computes_only(try_stmt.body, preset):
        return False
    explicit = False
    skips = False
    returns_value = bool(try_stmt.body) and isinstance(try_stmt.body[-1], ir.Return)
    assigned = _target_texts(try_stmt.body)
    for stmt in handler.body:
        if isinstance(stmt, ir.Return) and (stmt.value is None or _default(stmt.value)
                                            or (returns_value and not _effect_in(stmt))):
            # a default, or another way to compute what the `try` returns (`return plain_template.format(...)`)
            explicit = True
        elif isinstance(stmt, ir.Assign) and stmt.value is not None and (
                (_default(stmt.value) and all(isinstance(t, ir.Name) for t in stmt.targets))
                or (_target_texts((stmt,)) <= assigned and not _effect_in(stmt))):
            # a default, or a substitute written to the very place the `try` would have written
            explicit = True
        elif isinstance(stmt, ir.Jump):
            skips = skips or stmt.kind != "pass"
        elif not (isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
                  and (chain(stmt.value) or [""])[-1] in _QUIET_LOG):
            return False
    if explicit or skips:
        return True
    assigned = ir.assigned_names(ir.walk_stmts(try_stmt.body))
    # what the code after the `try` reads of it: temporaries of the attempt (`response`, `data`) do not
    # count, only values the rest of the function uses, which must already hold a default
    kept = assigned if read_after is None else assigned & read_after
    # `event["action"] = compact(action)`: an entry of a container the function already holds keeps
    # its original value when the attempt fails
    into_bound = any(isinstance(t, ir.Subscript) and isinstance(t.value, ir.Name) and t.value.id in bound
                     for stmt in ir.walk_stmts(try_stmt.body) if isinstance(stmt, ir.Assign) for t in stmt.targets)
    # `record.user = current_user()` over the default the function wrote there first
    over_preset = bool(preset) and all(_shape(t) in preset for t in _attribute_targets(try_stmt.body))
    return not request and (bool(assigned) or into_bound or over_preset) and kept <= bound


def _attribute_targets(body: tuple[ir.Stmt, ...]) -> list[ir.Attr]:
    return [t for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign) for t in stmt.targets
            if isinstance(t, ir.Attr)]


def _preset_before(body: tuple[ir.Stmt, ...], line: int) -> frozenset[str]:
    """The attributes (`record.user`) the function assigns a default (a literal, a name, an empty
    container) before `line`: an attempt that fails to overwrite one leaves that default."""
    return frozenset(_shape(t) for s in ir.walk_stmts(body) if s.end_line < line and isinstance(s, ir.Assign)
                     and s.value is not None and _default(s.value) for t in s.targets if isinstance(t, ir.Attr))


def _target_texts(body: tuple[ir.Stmt, ...]) -> set[str]:
    """The places a block assigns, as written: `labels[k]`, `(user, password)`, `value`."""
    return {_shape(t) for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign) for t in stmt.targets}


def _shape(target: ir.Expr) -> str:
    """An assignment target without its position: `labels[k]` written on two lines is one place."""
    if isinstance(target, ir.Name):
        return target.id
    if isinstance(target, ir.Attr):
        return f"{_shape(target.value)}.{target.attr}"
    if isinstance(target, ir.Subscript):
        return f"{_shape(target.value)}[{_shape(target.index)}]"
    if isinstance(target, ir.Seq):
        return "(" + ",".join(_shape(e) for e in target.elts) + ")"
    if isinstance(target, ir.Const):
        return repr(target.value)
    return f"<{type(target).__name__}@{getattr(target, 'line', 0)}:{getattr(target, 'col', 0)}>"


def _effect_in(stmt: ir.Stmt) -> bool:
    return any(_effect(call) for call in stmt_calls(stmt))


def _retries(try_stmt: ir.Try, handler: ir.Handler) -> bool:
    """The handler makes the guarded call again, outside any `try` (`except Exception: user =
    User.objects.get(pk=pk)`): a second failure propagates, so nothing is hidden."""
    guarded = {tuple(chain(call)) for stmt in ir.walk_stmts(try_stmt.body) for call in stmt_calls(stmt)
               if chain(call) and chain(call)[-1] not in _LOG_CALLS}
    return any(tuple(chain(call)) in guarded for stmt in handler.body if not isinstance(stmt, ir.Try)
               and not (isinstance(stmt, ir.Return) and stmt.value is not None and _success_status(stmt.value))
               for call in stmt_calls(stmt))  # building a success response again retries nothing


def _computes_only(body: tuple[ir.Stmt, ...], preset: frozenset[str] = frozenset()) -> bool:
    """`preset`: attributes the function gave a default before the `try`: overwriting one computes
    a value as a local would (its default stays when the attempt fails)."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign):
            if not all(isinstance(t, (ir.Name, ir.Seq)) or (isinstance(t, ir.Subscript) and isinstance(t.value, ir.Name))
                       or (isinstance(t, ir.Attr) and _shape(t) in preset) for t in stmt.targets):
                return False  # `obj.attr = ...` changes state someone else sees
        elif isinstance(stmt, ir.ExprStmt):
            call = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if not isinstance(call, ir.Call) or not any(w in (chain(call) or [""])[-1].lower() for w in _PARSE_WORDS):
                return False  # a call made for its effect
        elif not isinstance(stmt, (ir.Return, ir.If, ir.For, ir.While, ir.Jump, ir.With, ir.ImportStmt)):
            return False  # (a `with` opening a client or a file is judged by its calls, as are its statements)
        if any(_effect(call) for call in stmt_calls(stmt)):
            return False
    return True


def _effect(call: ir.Call) -> bool:
    """`order.save()`, `session.commit()`, `requests.post(...)`, `gateway.charge(...)`, `send_mail(...)`."""
    return any(word in _EFFECT_WORDS for word in words((chain(call) or [""])[-1]))


def _default(value: ir.Expr) -> bool:
    """A literal, a name, an attribute or an empty container: `None`, `""`, `[]`, `"id"`, `value`."""
    return all(not isinstance(n, ir.Call) or (not n.args and (chain(n) or [""])[-1] in _EMPTY)
               for n in ir.walk_expr(value)) and not isinstance(value, (ir.Lambda, ir.Comprehension))


def _read_after(body: tuple[ir.Stmt, ...], line: int) -> set[str]:
    """Names the statements after `line` read (or rebind): what the rest of the function uses."""
    return {n.id for s in ir.walk_stmts(body) if s.line > line for top in ir.stmt_exprs(s)
            for n in ir.walk_expr(top) if isinstance(n, ir.Name)} | ir.assigned_names(
        s for s in ir.walk_stmts(body) if s.line > line)


def _bound_before(body: tuple[ir.Stmt, ...], line: int) -> set[str]:
    return ir.assigned_names(s for s in ir.walk_stmts(body) if s.end_line < line)


def _handled(handler: ir.Handler, request: bool = False) -> bool:
    for stmt in ir.walk_stmts(handler.body):
        if any(_writes_traceback(call) for call in stmt_calls(stmt)):
            return True
        if not request and any(_console_report(call, handler.name) for call in stmt_calls(stmt)):
            return True
        if isinstance(stmt, ir.Raise):
            return True
        if isinstance(stmt, ir.Return) and stmt.value is not None and _success_status(stmt.value):
            continue  # what the response says (`error_message("...")`) reaches no log or monitor
        if isinstance(stmt, ir.Return) and _error_value(stmt.value):
            return True
        if isinstance(stmt, ir.Assign) and any(_records(t) for t in stmt.targets):
            return True
        if not _quiet_log(stmt) and _says_failure(stmt):
            return True  # `result = "error"`, `unverified.append({"reason": "probe-failed"})`: kept for the caller
        for call in stmt_calls(stmt):
            if _reports(call):
                return True
        if handler.name and not _only_logged(stmt, handler.name) and _uses(stmt, handler.name):
            return True  # the exception is kept: appended, returned, attached to a result
        if not isinstance(stmt, (ir.Jump, ir.Return, ir.Assign, ir.ExprStmt, ir.If)):
            return True  # loops, nested try/with: real fallback logic, not a plain swallow
    return False


_LOG_CALLS = _QUIET_LOG | {"warning", "warn"}
_NO_RETURN = frozenset({"abort", "exit", "_exit", "fail"})
_FAILURE_TEXT = ("fail", "error", "unavailable", "invalid", "malformed", "timeout", "timed out", "rejected",
                 "denied", "unverified", "unreachable", "broken")


def _says_failure(stmt: ir.Stmt) -> bool:
    """The statement writes the failure down for the program to act on: a status token naming it
    (`"probe-failed"`, `"timeout" if ... else "error"`: one word, not a message shown to a person)
    assigned or handed on, or a call whose name says so (`return _screen_unavailable(...)`)."""
    for top in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(top):
            if isinstance(node, ir.Const) and isinstance(node.value, str) and not any(c.isspace() for c in node.value) \
                    and any(w in node.value.lower() for w in _FAILURE_TEXT):
                return True
            if isinstance(node, ir.Call) and any(w in (chain(node) or [""])[-1].lower() for w in _FAILURE_TEXT):
                return True
    return False


def _logs_read_failure(try_stmt: ir.Try, handler: ir.Handler) -> bool:
    """Off the request path, a read or a computation (no write, send or payment in the `try`) whose
    handler logs the exception itself at info level: the error is in the log with its message, and
    the caller gets the default the handler returns. A lost write stays reported however it is logged."""
    return not any(_effect(c) for s in ir.walk_stmts(try_stmt.body) for c in stmt_calls(s)) \
        and any(_logs_exception(s, handler.name) for s in handler.body)


def _logs_exception(stmt: ir.Stmt, name: str | None) -> bool:
    """`logger.info(f"... {e}")`: an info line that carries the exception itself (debug and trace
    lines are off in production; a print is nobody's log)."""
    if name is None or not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.value, ir.Call):
        return False
    names = chain(stmt.value)
    if not names or names[-1] != "info" or len(names) < 2:
        return False
    return any(isinstance(n, ir.Name) and n.id == name
               for arg in (*stmt.value.args, *(k.value for k in stmt.value.kwargs)) for n in ir.walk_expr(arg))
_FAILURE_WORDS = ("fail", "error", "retry", "pending", "rejected", "cancel", "abort", "invalid", "unknown")
_STATE_FIELDS = ("status", "state", "stage", "phase")


def _only_logs(handler: ir.Handler) -> bool:
    """The handler writes a log line (any level, no traceback) and nothing else."""
    logged = False
    for stmt in handler.body:
        if isinstance(stmt, ir.Jump) and stmt.kind == "pass":
            continue
        if not (isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)
                and (chain(stmt.value) or [""])[-1] in _LOG_CALLS
                and not any(k.name == "exc_info" for k in stmt.value.kwargs)):
            return False
        logged = True
    return logged


def _success_after(statements: list[ir.Stmt], try_stmt: ir.Try) -> ir.Assign | None:
    """`payout.status = "submitted"` / `order.is_paid = True` after the try: whatever happened in
    it, the record says the work succeeded."""
    for stmt in statements:
        if stmt.line <= try_stmt.end_line or not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            if not isinstance(target, ir.Attr) or not isinstance(stmt.value, ir.Const):
                continue
            value = stmt.value.value
            if target.attr in _STATE_FIELDS and isinstance(value, str) \
                    and not any(w in value.lower() for w in _FAILURE_WORDS):
                return stmt
            if value is True and target.attr.startswith("is_") and \
                    target.attr[3:].endswith(("sent", "paid", "submitted", "processed", "completed", "done",
                                              "delivered", "synced", "published", "confirmed", "settled")):
                return stmt
    return None


def _writes_traceback(call: ir.Call) -> bool:
    """`logger.info("...", exc_info=True)`, `traceback.print_exc()`: the traceback is written out
    whatever the level, so the failure is on record."""
    names = chain(call)
    if names and names[-1] in ("print_exc", "print_exception", "print_stack"):
        return True
    return any(k.name in ("exc_info", "stack_info") and not (isinstance(k.value, ir.Const) and not k.value.value)
               for k in call.kwargs)


def _console_report(call: ir.Call, exception: str | None) -> bool:
    """`print(f"Failed to generate thumbnails: {e}")` off the request path: a command or a worker
    reports to its console, which its operator (or the container log) reads. A request handler's
    console is nobody's, so there it stays a swallow."""
    names = chain(call)
    if names != ["print"]:
        return False
    for arg in call.args:
        for node in ir.walk_expr(arg):
            if exception and isinstance(node, ir.Name) and node.id == exception:
                return True
            if isinstance(node, ir.Const) and isinstance(node.value, str) and any(
                    w in node.value.lower() for w in ("fail", "error", "unable", "could not", "cannot", "can't")):
                return True
    return False


def _reports(call: ir.Call) -> bool:
    names = chain(call)
    last = names[-1] if names else ""
    if last in _REPORTED_LOG:
        return True
    if last in ("warning", "warn"):
        return True  # reaches the logs at the level operators read
    if last in _QUIET_LOG:
        return False
    receiver = names[0].lower() if len(names) > 1 else ""
    if any(word in receiver for word in ("invalid", "error", "fail", "skipped", "rejected", "problem")):
        return True  # `invalid_ids.append(...)`: the failure is kept for the caller
    return any(word in name.lower() for name in names for word in _REPORT_WORDS)


def _error_value(value: ir.Expr | None) -> bool:
    """`return Response(..., status=500)`, `return jsonify(...), 400`, `return JsonResponse(..., status=...)`."""
    if value is None:
        return False
    if isinstance(value, ir.Const) and value.value is False:
        return True  # an explicit failure signal the caller checks
    if _success_status(value):
        return False  # `return Response("An error occurred", 200)`: monitoring and clients see success
    for node in ir.walk_expr(value):
        if isinstance(node, ir.Const) and isinstance(node.value, int) and 400 <= node.value < 600:
            return True
        if isinstance(node, ir.Name) and ("error" in node.id.lower() or "fail" in node.id.lower()):
            return True
        if isinstance(node, ir.Attr) and node.attr.startswith("HTTP_") and node.attr[5:6] in ("4", "5"):
            return True
        if isinstance(node, ir.Call):
            last = (chain(node) or [""])[-1]
            if any(word in last.lower() for word in _RESPONSE_WORDS):
                return True  # an explicit response or error object for the caller
            if "Error" in last or "Forbidden" in last or "NotFound" in last or "BadRequest" in last \
                    or last in ("abort", "error", "fail", "failure", "Err"):
                return True
            if any(k.name in ("status", "status_code", "error", "errors") for k in node.kwargs):
                return True
        if isinstance(node, ir.DictExpr) and any(isinstance(k, ir.Const) and str(k.value).lower() in
                                                 ("error", "errors", "detail", "message", "success", "ok")
                                                 for k in node.keys):
            return True
    return False


def _success_status(value: ir.Expr) -> bool:
    """A response sent with an explicit 2xx status (`Response(body, 200)`, `status=200`,
    `jsonify(...), 200`) and no error status anywhere in it."""
    parts = value.elts if isinstance(value, ir.Seq) else (value,)
    statuses = [a for part in parts if isinstance(part, ir.Call)
                for a in (*part.args[1:], *(k.value for k in part.kwargs if k.name in ("status", "status_code")))]
    statuses += [part for part in parts[1:] if isinstance(value, ir.Seq)]
    codes = [n.value for s in statuses for n in ir.walk_expr(s)
             if isinstance(n, ir.Const) and isinstance(n.value, int) and not isinstance(n.value, bool)]
    return bool(codes) and all(200 <= c < 300 for c in codes)


def _records(target: ir.Expr) -> bool:
    text = (ir.dotted_name(target) or "") if not isinstance(target, ir.Subscript) else \
        str(getattr(target.index, "value", "")) + (ir.dotted_name(target.value) or "")
    return any(word in text.lower() for word in ("error", "fail", "status", "exc", "problem", "warning"))


def _uses(stmt: ir.Stmt, name: str) -> bool:
    return any(isinstance(n, ir.Name) and n.id == name for top in ir.stmt_exprs(stmt) for n in ir.walk_expr(top))


def _only_logged(stmt: ir.Stmt, name: str) -> bool:
    return isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
        and (chain(stmt.value) or [""])[-1] in _QUIET_LOG


def _call_name(call: ir.Call) -> str:
    """`client.fetch`, or `.find()` when the receiver has no simple name (`data["x"].find(...)`)."""
    dotted = ir.dotted_name(call.func)
    if dotted:
        return dotted
    if isinstance(call.func, ir.Attr):
        return f".{call.func.attr}()"
    return f"the call on line {call.line}"


# words of a called name that ask for a value, a test or a conversion rather than an action
_QUERY_WORDS = frozenset({"get", "find", "fetch", "load", "read", "lookup", "current", "exists", "exist", "is", "has",
                          "can", "relative", "resolve", "compute", "calculate", "parse", "list", "count", "check",
                          "validate", "detect", "guess", "format", "render", "to", "as", "from", "build", "make",
                          "search", "query", "select", "filter", "match", "lookup", "discover", "probe", "which"})
# a handler that would be a designed fallback if the functions its `try` calls only compute
PENDING_RULE = "py-swallowed-exception-pending-callee"
_PENDING_SEPARATOR = "\0"


def _pending_behind_callees(module: ir.Module, function: ir.Function, try_stmt: ir.Try,
                            handler: ir.Handler) -> Iterator[Finding]:
    """`try: tickets = issue_tickets(order) except Exception: return`: the guarded call's name says
    nothing, so the `try` looks like a computation with a default; `issue_tickets` creates the
    tickets, and their loss is silent. The finding waits for the project's call graph: it stands
    when a project function the enclosing function calls under one of these names writes."""
    if not all(_drops(stmt) for stmt in handler.body) or (any(
            isinstance(stmt, ir.Return) for stmt in handler.body) and _returns_values(function)):
        return  # `return []`, `machine = None`, `return None` from a function that answers `Optional[...]`:
        # a substitute the caller is meant to get instead
    names = sorted({chain(call)[-1] for s in ir.walk_stmts(try_stmt.body) for call in stmt_calls(s)
                    if chain(call) and chain(call)[-1] not in _LOG_CALLS})
    if not names or any(set(words(name)) & _QUERY_WORDS for name in names):
        return  # `Machine.current()`, `get_identities(...)`, `path.exists()`: asked for a value, which a
        # default stands in for by design, whatever the function writes on the way (a cache, a row it creates)
    finding = _finding(module, try_stmt, handler)
    yield replace(finding, rule=PENDING_RULE, key=_PENDING_SEPARATOR.join(
        (finding.key, f"{module.module_name}.{function.qualname}", ",".join(names))))


def _returns_values(function: ir.Function) -> bool:
    """Some `return` of the function hands back a value: its bare `return None` is an answer too."""
    return any(isinstance(stmt, ir.Return) and stmt.value is not None
               and not (isinstance(stmt.value, ir.Const) and stmt.value.value is None)
               for stmt in ir.walk_stmts(function.body))


def _drops(stmt: ir.Stmt) -> bool:
    """The handler gives up on the work without standing anything in for it: a bare `return`,
    `continue`, `break` or `pass`, or a quiet log line."""
    if isinstance(stmt, ir.Return):
        return stmt.value is None or (isinstance(stmt.value, ir.Const) and stmt.value.value is None)
    if isinstance(stmt, ir.Jump):
        return True
    return isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
        and (chain(stmt.value) or [""])[-1] in _QUIET_LOG


def behind_writers(findings: Iterable[Finding], writes: Callable[[str, frozenset[str]], bool]) -> list[Finding]:
    """Pending findings stand where `writes(caller key, callee names)` says a project function the
    enclosing function calls under one of the guarded names writes (reaches a write); the rest go."""
    out = []
    for finding in findings:
        if finding.rule != PENDING_RULE:
            out.append(finding)
            continue
        key, caller, names = finding.key.split(_PENDING_SEPARATOR)
        if writes(caller, frozenset(names.split(","))):
            out.append(replace(finding, rule=RULE.id, key=key, severity=Severity.MEDIUM, why=finding.why + (
                " The guarded call's name says nothing, but the project function it runs writes: that write's "
                "failure is what disappears.")))
    return out


def _finding(module: ir.Module, try_stmt: ir.Try, handler: ir.Handler, success: ir.Assign | None = None) -> Finding:
    if success is not None:
        return _logged_then_success(module, try_stmt, handler, success)
    kind = "bare `except:`" if handler.types is None else f"`except {ir.dotted_name(handler.types) or '...'}`"
    quiet = all(isinstance(s, ir.Jump) for s in handler.body)
    first_call = next((c for s in ir.walk_stmts(try_stmt.body) for c in stmt_calls(s)), None)
    what = f"`{_call_name(first_call)}` failing" if first_call is not None else "any failure"
    writes = any(_effect(c) for s in ir.walk_stmts(try_stmt.body) for c in stmt_calls(s))
    guarded = strip_comment(module.line_text(try_stmt.line + 1))
    guarded = guarded if guarded and parses(guarded) else "...  # the guarded code"
    subject = _call_name(first_call) if first_call is not None else "the guarded code"
    code = f"try:\n    {guarded}\nexcept Exception:\n    logger.exception(\"{subject} failed\")\n    raise\n"
    return make_finding(
        "swallowed-exception", Location(module.path, handler.line, handler.end_line),
        f"{kind} hides {what}" + (" (body does nothing)" if quiet else ""),
        "Every failure here, bugs and outages alike, is turned into silent success: nothing reaches logs, "
        "metrics or alerts, so a dependency that fails for days looks healthy until customers complain."
        + (" A bare `except:` also traps KeyboardInterrupt/SystemExit, so workers cannot shut down cleanly."
           if handler.types is None else ""),
        severity=Severity.MEDIUM if writes else None,  # a lost write or payment, not a lost read
        confidence=Confidence.HIGH if quiet else Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, try_stmt.line), "guarded code", module.line_text(try_stmt.line + 1)),
                  TraceStep(Location(module.path, handler.line), "failure dropped here", module.line_text(handler.line))),
        fix=Fix("Catch only the exceptions you expect; for anything else log with the traceback and re-raise "
                "(or report it and return an explicit error).", code, "python"),
        rule=RULE.id, key=module.line_text(try_stmt.line + 1),
    )


def _logged_then_success(module: ir.Module, try_stmt: ir.Try, handler: ir.Handler, success: ir.Assign) -> Finding:
    first_call = next((c for s in ir.walk_stmts(try_stmt.body) for c in stmt_calls(s)), None)
    subject = _call_name(first_call) if first_call is not None else "the guarded code"
    state = strip_comment(module.line_text(success.line))
    return make_finding(
        "swallowed-exception", Location(module.path, handler.line, handler.end_line),
        f"`{subject}` failing is logged, then recorded as success (`{state}`)",
        "Any failure of the guarded call, an outage or a bug, only leaves a log line; the code then writes the "
        "success state anyway, so the record claims work that never happened and nothing retries it (a payout "
        "marked submitted that the provider never received, an e-mail marked sent).",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, try_stmt.line), "guarded call", module.line_text(try_stmt.line + 1)),
                  TraceStep(Location(module.path, handler.line), "failure only logged", module.line_text(handler.line)),
                  TraceStep(Location(module.path, success.line), "success recorded regardless", state)),
        fix=Fix("Record the failure (or re-raise so the task is retried) and write the success state only on the "
                "path where the call succeeded.",
                f"try:\n    {strip_comment(module.line_text(try_stmt.line + 1))}\nexcept Exception:\n"
                f"    logger.exception(\"{subject} failed\")\n    raise  # let the task retry\n{state}\n", "python"),
        rule=RULE.id, key="success:" + module.line_text(try_stmt.line + 1),
    )


RULE = Rule("py-swallowed-exception", frozenset({"swallowed-exception"}), "python",
            Inspects((ir.Try, ir.With), check))
