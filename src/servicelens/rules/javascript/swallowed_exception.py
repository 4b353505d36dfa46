"""Swallowed exception: a failed awaited operation is caught, at most logged, and the code goes
on to record or answer success.

## What it finds
A `try` whose body awaits a call, whose `catch` neither rethrows, returns, nor hands the
error on (`next(err)`, `reject(err)`, a callback, an error status), and after which the same
block writes data (`save`, `update`, `insert`, ... from models/node/rules.yaml) or answers the
client: the failure is forgotten and the success path runs anyway.

## Why it matters
The payment failed but the invoice says paid; the e-mail was never sent but the job is
marked done. Nobody is told, and the data now says something that did not happen.

## Example
```js
try {
  await gateway.post('/charges', charge);
} catch (err) {
  logger.warn('charge failed');
}
invoice.state = 'paid';
await invoice.save();
```
Use instead:
```js
try {
  await gateway.post('/charges', charge);
} catch (err) {
  logger.error({ err }, 'charge failed');
  throw err; // or mark the invoice failed and answer 502
}
invoice.state = 'paid';
await invoice.save();
```

## Fix
Rethrow (or return an error) from the `catch`, or record the failure as such; only fall through
when the operation was optional and nothing later depends on it.

It also finds a `catch` that turns a failed database or outbound call into an ordinary
result: an empty `catch {}` around a write or an outbound request (the write is lost and no one
knows), a `catch` that at most logs and returns a written-out value (`return null`, `return []`,
`return false`) around a query or request (an outage reads as "not found"), and the same as a
promise's `.catch(() => {})` / `.catch(() => null)`. A `return false` in a function that answers
`true` when it succeeds (a notifier's `send(): Promise<boolean>`) is its failure result, which its
callers read as one, and is not reported.

An outbound write (`fetch(url, { method: 'POST' })`, `axios.put`) whose error response is
tested and only logged (`if (body.error) logger.error(...)`) is the same failure without an
exception: the function returns normally and its caller records a write that never happened.

A `catch` that only logs, at warning level or above and with the caught error, around an optional
step is not reported: one whose log also carries the data the failed call was handed (the record
can be replayed from the log), or around a `try` that only fills variables declared before it (the
declared value stands in, `let usage; try { usage = await load() } catch (e) { log.warn(..., e) }`).

## Known problems
A `catch` that sets a flag read later counts as swallowing; a fallback that is correct by
design (an optional enrichment) is reported when a write follows it, unless its catch logs the
error as above.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.javascript._logged_error_responses import LOG_METHODS, LoggedErrorResponse, logged_error_responses
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_ANSWERS = frozenset({"send", "json", "end", "render", "redirect", "sendStatus"})
_WRITES = frozenset({"save", "update", "updateOne", "updateMany", "insert", "insertOne", "insertMany", "create",
                     "upsert", "delete", "deleteOne", "destroy", "increment", "decrement"})
_PASS_ON = frozenset({"next", "reject", "callback", "cb", "done"})
# a project method named for recording an outcome writes it: `markSent(ids)`, `recordDelivery(...)`
_RECORDING = (["mark"], ["record"], ["complete"], ["confirm"], ["finalize"])


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    writes = _WRITES & known.data_access_methods | _WRITES
    anonymous = {f.qualname: f for f in module.functions if f.name.startswith("<anon@")}
    for function, body in all_bodies(module):
        if function is not None:
            for call, hidden in _promise_catches(body, function, anonymous, known):
                yield _hidden_finding(module, function, call.line, hidden, call.line)
        if function is None:
            continue  # awaits live in functions; a top level full of them is a file the parser recovered
        for logged in logged_error_responses(function, frozenset(known.http_calls)):
            yield _logged_response_finding(module, function, logged)
        for block, then in _blocks(body, ()):
            for index, stmt in enumerate(block):
                if not isinstance(stmt, ir.Try) or not stmt.handlers or stmt.finalbody:
                    continue
                handler = stmt.handlers[0]
                if not _awaits(stmt.body):
                    continue
                if _handles(handler):
                    hidden = _hidden_failure(stmt.body, handler.body, handler.name, known,
                                             _answers_success(module, function))
                    if hidden:
                        yield _hidden_finding(module, function, handler.line, hidden, stmt.line)
                    continue
                if _looks_up_only(stmt.body, known):
                    continue  # a failed lookup wrote nothing: going on is the "not found" path
                if _logged_deliberately(stmt.body, handler, _declared_before(body, stmt.line)):
                    continue  # an optional step: its failure is logged with its cause, and what it lost is kept
                kept = _kept_on_success(stmt.body)
                after = _first_success(((block[index + 1:], frozenset()),) + then, writes, kept)
                if not after:
                    hidden = _hidden_failure(stmt.body, handler.body, handler.name, known,
                                             _answers_success(module, function))
                    if hidden:
                        yield _hidden_finding(module, function, handler.line, hidden, stmt.line)
                    continue
                yield make_finding(
                    "swallowed-exception", location(module, ir.Const(handler.line, 0, None)),
                    f"A failure in the `try` at line {stmt.line} is caught and the code goes on to {after}",
                    "The operation failed but the success path still runs: the data (or the answer) now says "
                    "something that did not happen, and nobody is told.",
                    severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                    fix=Fix("Rethrow from the catch (or return an error status), or record the failure as a "
                            "failure instead of continuing.",
                            "} catch (err) {\n  logger.error({ err }, 'operation failed');\n  throw err;\n}",
                            "javascript"),
                    rule=RULE.id, key=f"{function.qualname}|{module.line_text(stmt.line)}",
                )


def _logged_response_finding(module: ir.Module, function: ir.Function, logged: LoggedErrorResponse) -> Finding:
    return make_finding(
        "swallowed-exception", location(module, ir.Const(logged.line, 0, None)),
        f"An error response to `{logged.request}` ({logged.method}) is only logged: `{function.name}` returns as if "
        "it succeeded",
        "The request failed, but the function ends normally: its caller records (and reports to the client) a "
        "write that never happened, and only a log line says otherwise.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=Fix("Throw (or return an error the caller must handle) when the response reports a failure.",
                "if (!response.ok || body.error) {\n  throw new Error(`upload failed: ${body.error ?? response.status}`);\n}",
                "javascript"),
        rule=RULE.id, key=f"{function.qualname}|logged-response|{module.line_text(logged.line)}",
    )


def _hidden_finding(module: ir.Module, function: ir.Function, line: int, hidden: str, try_line: int) -> Finding:
    return make_finding(
        "swallowed-exception", location(module, ir.Const(line, 0, None)), hidden,
        "The failure becomes an ordinary result: a lost write looks done and an outage looks like "
        "\"nothing found\", so callers go on with wrong data and nobody is told.",
        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=Fix("Let the error reach the caller (rethrow, or return an error the caller must handle); "
                "only swallow what is optional by design, and log it with its cause.",
                "} catch (err) {\n  logger.error({ err }, 'loading orders failed');\n  throw err;\n}",
                "javascript"),
        rule=RULE.id, key=f"{function.qualname}|hidden|{module.line_text(try_line)}",
    )


def _guarded(body: tuple[ir.Stmt, ...], known: object) -> tuple[str, bool]:
    """The database or outbound call the `try` awaits (name, whether it writes), or ""."""
    found, writes = "", False
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await) and isinstance(node.value, ir.Call):
                    name, write = _operation(node.value, known)
                    if name and (write or not found):
                        found, writes = name, writes or write
    return found, writes


def _operation(call: ir.Call, known: object) -> tuple[str, bool]:
    """A database call (models/node/rules.yaml `data_access_methods`; writes: `row_writes`) or an
    outbound request (`http_calls`, by name), anywhere in a method chain."""
    while isinstance(call, ir.Call):
        dotted = ir.dotted_name(call.func) or ""
        last = ir.last_name(call.func) or ""
        if dotted in known.http_calls or last == "fetch":  # type: ignore[attr-defined]
            return dotted or last, True
        if last in known.row_writes:  # type: ignore[attr-defined]
            return dotted or last, True
        if last in known.data_access_methods:  # type: ignore[attr-defined]
            return dotted or last, False
        if not isinstance(call.func, ir.Attr) or not isinstance(call.func.value, ir.Call):
            break
        call = call.func.value
    return "", False


def _hidden_failure(body: tuple[ir.Stmt, ...], handler: tuple[ir.Stmt, ...], error: str | None,
                    known: object, reports_success: bool = False) -> str:
    """What the catch makes of the failure when it only logs and ends quietly or with a written-out
    value, around a database call or outbound request; "" when it rethrows, passes the error on,
    answers, or does anything else. `reports_success`: the function answers `true` when it
    succeeds, so the `false` a catch returns is its failure result, which its callers read as such."""
    operation, writes = _guarded(body, known)
    if not operation or _throws_when_missing(body):
        return ""
    returned = _quiet_end(handler, error)
    if returned is None or (returned == "false" and reports_success):
        return ""
    if returned:
        return f"A failed `{operation}` is answered with `{returned}`: callers cannot tell an outage from no data"
    if not handler and writes:
        return f"A failed `{operation}` is ignored by an empty catch"
    return ""


def _answers_success(module: ir.Module, function: ir.Function) -> bool:
    """The function, or one it is nested in (a callback of `send`), returns the literal `true`:
    it tells its caller whether it succeeded (`send(): Promise<boolean>` of a notifier), and
    `false` is how it says it did not."""
    enclosing = {function.qualname} | {f.qualname for f in module.functions
                                       if function.qualname.startswith(f.qualname + ".<locals>.")}
    for candidate in (f for f in module.functions if f.qualname in enclosing):
        for stmt in ir.walk_stmts(candidate.body):
            if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Const) and stmt.value.value is True:
                return True
    return False


def _throws_when_missing(body: tuple[ir.Stmt, ...]) -> bool:
    """The `try` awaits a lookup that reports a missing row by throwing (`findOneOrFail`,
    `findUniqueOrThrow`): catching it is how the code asks "is it there?"."""
    return any(isinstance(node, ir.Call) and (ir.last_name(node.func) or "").endswith(("OrFail", "OrThrow", "OrReject"))
               for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))


def _quiet_end(handler: tuple[ir.Stmt, ...], error: str | None) -> str | None:
    """The catch only logs and then returns a written-out value (its text), returns nothing or
    falls through (""); None when it does anything else."""
    returned = ""
    for stmt in handler:
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
                and ir.last_name(stmt.value.func) in LOG_METHODS:
            continue
        if isinstance(stmt, ir.Return) and returned == "":
            value = stmt.value
            text = _written_out(value)
            if text is None:
                return None
            returned = text
            continue
        return None
    return returned


def _written_out(value: ir.Expr | None) -> str | None:
    if value is None:
        return None  # a bare `return` ends quietly too, but says nothing a caller reads
    if isinstance(value, ir.Const):
        return "null" if value.value is None else "false" if value.value is False else \
            "true" if value.value is True else repr(value.value) if not isinstance(value.value, str) else "''" \
            if not value.value else None
    if isinstance(value, ir.Seq) and not value.elts:
        return "[]"
    if isinstance(value, ir.DictExpr) and not value.keys:
        return "{}"
    if isinstance(value, ir.Name) and value.id == "undefined":
        return "undefined"
    return None


def _promise_catches(body: tuple[ir.Stmt, ...], function: ir.Function, anonymous: dict[str, ir.Function],
                     known: object) -> Iterator[tuple[ir.Call, str]]:
    """`save(row).catch(() => {})`, `fetch(url).catch(() => null)`: a promise's failure dropped.
    A statement `void promise.catch(...)` says so on purpose (the fire-and-forget mark TypeScript
    linters ask for): its result is thrown away and nothing waits on it."""
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            if isinstance(root, ir.Unary) and root.op == "void":
                continue
            for node in ir.walk_expr(root):
                if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "catch"
                        and len(node.args) == 1 and isinstance(node.func.value, ir.Call)):
                    continue
                operation, writes = _operation(node.func.value, known)
                callback = anonymous.get(f"{function.qualname}.<locals>.{getattr(node.args[0], 'id', '')}")
                if not operation or callback is None:
                    continue
                returned = _quiet_end(callback.body, None)
                if returned is None:
                    continue
                if not callback.body and writes:
                    yield node, f"A failed `{operation}` is dropped by `.catch(() => {{}})`"
                elif returned:
                    yield node, f"A failed `{operation}` is turned into `{returned}` by `.catch`"


_Then = tuple[tuple[tuple[ir.Stmt, ...], frozenset[str]], ...]


def _blocks(body: tuple[ir.Stmt, ...], then: _Then) -> Iterator[tuple[tuple[ir.Stmt, ...], _Then]]:
    """The body and every nested statement block (if/else, loops, try parts), each with what runs
    after it: the rest of the enclosing blocks. After a loop, only what is done with the loop's
    items counts: a `try` swallowing each item's failure is followed by `markAllSent(items)`,
    which records the failed ones as done too; other work after the loop is not about them."""
    yield body, then
    for index, stmt in enumerate(body):
        items = frozenset(n.id for n in ir.walk_expr(stmt.iter) if isinstance(n, ir.Name)) \
            if isinstance(stmt, ir.For) else frozenset()
        after: _Then = ((body[index + 1:], items),) + tuple((rest, items | need) for rest, need in then) \
            if isinstance(stmt, ir.For) else ((body[index + 1:], frozenset()),) + then
        if isinstance(stmt, (ir.If, ir.For, ir.While, ir.Try)):
            yield from _blocks(stmt.body, after)
            yield from _blocks(stmt.orelse, after)
        if isinstance(stmt, ir.Try):
            yield from _blocks(stmt.finalbody, after)
            for handler in stmt.handlers:
                yield from _blocks(handler.body, after)


def _awaits(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(node, ir.Await) for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt)
               for node in ir.walk_expr(root))


def _handles(handler: ir.Handler) -> bool:
    """The catch rethrows, returns, or hands the error (or an error status) to someone."""
    for stmt in ir.walk_stmts(handler.body):
        if isinstance(stmt, (ir.Raise, ir.Return)):
            return True
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call):
                    name = ir.last_name(node.func)
                    if name in _PASS_ON or name in ("status", "sendStatus") or words(name or "")[:1] in _RECORDING or (
                            handler.name and any(isinstance(a, ir.Name) and a.id == handler.name for a in node.args)
                            and name not in ("log", "info", "warn", "error", "debug", "trace")):
                        return True
        if isinstance(stmt, ir.Assign):
            return True  # sets a flag or a fallback value the code after it reads
    return False


# the last word of a log method that reports a problem: `warn`, `error`, `rawWarn`, `logError`
_PROBLEM_LEVELS = frozenset({"warn", "warning", "error", "fatal", "critical"})


def _logged_deliberately(body: tuple[ir.Stmt, ...], handler: ir.Handler, declared: set[str]) -> bool:
    """The catch only logs, at warning level or above and with the caught error, and the step it
    gave up is optional by its shape: the log also carries, whole, a value the failed call was
    handed (`log.warn(`record failed: ${e.message}`, { row })` around `await save(row)`: it can be
    replayed), or the `try` only fills variables declared before it (`let usage; try { usage =
    await load() }`: the declared value stands in when it fails)."""
    if handler.name is None or not handler.body:
        return False
    logs = [stmt.value for stmt in handler.body if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call)]
    if len(logs) != len(handler.body) or not all(_level(call) in _PROBLEM_LEVELS | LOG_METHODS for call in logs):
        return False
    problem = [call for call in logs if _level(call) in _PROBLEM_LEVELS]
    if not any(handler.name in _names_in(call) for call in problem):
        return False
    handed = {a.id for call in _awaited_calls(body) for a in call.args if isinstance(a, ir.Name)}
    if handed and any(handed & _whole_values(call) for call in problem):
        return True
    filled = [stmt for stmt in body if isinstance(stmt, ir.Assign)]
    return len(filled) == len(body) and all(
        isinstance(t, ir.Name) and t.id in declared for stmt in filled for t in stmt.targets)


def _level(call: ir.Call) -> str:
    """The level a log method names by its last word (`log.rawWarn` -> warn), lower-cased."""
    spelled = words(ir.last_name(call.func) or "")
    return spelled[-1].lower() if spelled else ""


def _whole_values(call: ir.Call) -> set[str]:
    """Names a log call carries whole (`{ entry }`, `entry`), not only a field of (`entry.id`)."""
    fields = {id(n.value) for a in call.args for n in ir.walk_expr(a) if isinstance(n, ir.Attr)}
    return {n.id for a in call.args for n in ir.walk_expr(a) if isinstance(n, ir.Name) and id(n) not in fields}


def _names_in(call: ir.Call) -> set[str]:
    return {n.id for a in call.args for n in ir.walk_expr(a) if isinstance(n, ir.Name)}


def _awaited_calls(body: tuple[ir.Stmt, ...]) -> list[ir.Call]:
    return [node.value for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt)
            for node in ir.walk_expr(root) if isinstance(node, ir.Await) and isinstance(node.value, ir.Call)]


def _declared_before(body: tuple[ir.Stmt, ...], line: int) -> set[str]:
    return ir.assigned_names(s for s in ir.walk_stmts(body) if s.end_line < line)


def _kept_on_success(body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Variables the `try` fills only when its awaited call succeeded (`delivered.push(id)`): a
    write after it that reads them records only the successes."""
    found = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and isinstance(node.func.value, ir.Name) \
                        and node.func.attr in ("push", "add", "set", "append"):
                    found.add(node.func.value.id)
    return frozenset(found)


_LOOKUP_VERBS = ("find", "count", "exists", "lookup")


def _looks_up_only(body: tuple[ir.Stmt, ...], known: object) -> bool:
    """Every call the `try` waits for only looks records up (`findOneBy`, `findFirst`, `count`):
    `try { existing = await repo.findOneBy(...) } catch {}` then a create is find-or-create."""
    awaited = [node.value for stmt in ir.walk_stmts(body) for root in ir.stmt_exprs(stmt)
               for node in ir.walk_expr(root) if isinstance(node, ir.Await)]
    lookups = known.record_lookups | known.list_queries  # type: ignore[attr-defined]
    return bool(awaited) and all(
        isinstance(call, ir.Call) and ((name := ir.last_name(call.func) or "") in lookups
                                       or name.lower().startswith(_LOOKUP_VERBS))
        for call in awaited)


def _first_success(then: _Then, writes: frozenset[str], kept: frozenset[str]) -> str:
    """What runs after the catch, block by enclosing block, as if the `try` had succeeded; a block
    that leaves the function (`return`, `throw` at its top level) ends the search: nothing of the
    enclosing blocks after it runs on this path."""
    for rest, items in then:
        leaves = next((i for i, stmt in enumerate(rest) if isinstance(stmt, (ir.Return, ir.Raise))), None)
        found = _success_after(rest if leaves is None else rest[:leaves + 1], writes, kept, items)
        if found or leaves is not None:
            return found
    return ""


def _success_after(rest: tuple[ir.Stmt, ...], writes: frozenset[str], kept: frozenset[str] = frozenset(),
                   items: frozenset[str] = frozenset()) -> str:
    """What the code does on as if it succeeded: a write or a success answer (about the loop's
    `items`, when it comes after the loop)."""
    for stmt in ir.walk_stmts(rest):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if not isinstance(node, ir.Call):
                    continue
                named = {n.id for a in node.args for n in ir.walk_expr(a) if isinstance(n, ir.Name)}
                if named & kept or (items and not named & items):
                    continue
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
                    if node.func.attr in writes or words(node.func.attr)[:1] in _RECORDING:
                        return f"write data (`{ir.dotted_name(node.func) or node.func.attr}`)"
                    if node.func.attr in _ANSWERS:
                        return "answer the client with success"
    return ""


RULE = Rule("js-swallowed-exception", frozenset({"swallowed-exception"}), "javascript", check,
            requires=("catch", "method:", ".post(", ".put(", ".patch(", ".delete("))
