"""Blocking call in a request handler: synchronous file, process, compression or key-derivation
calls (`fs.readFileSync`, `execSync`, `crypto.pbkdf2Sync`, `bcrypt.hashSync`) while serving a
request.

## What it finds
A call from models/node/rules.yaml `blocking_calls` inside a route handler or a callback
nested in one, or inside any `async` function or method (a service or repository method the
route awaits: an async function runs on the event loop by definition, whoever calls it); there
only the calls that do real work (reading or writing whole files, key derivation, compression,
processes), not the file-system metadata calls (`blocking_metadata_calls`).

## Confidence
Graded by what the call costs the event loop (`graded`), as py-perf-blocking-async grades its calls: a
child process (`execSync`, `spawnSync`), compression or key generation blocks for tens of milliseconds to
seconds, high wherever it runs; password hashing (`pbkdf2Sync`, `scryptSync`, `bcrypt.hashSync`/`compareSync`)
is high where an anonymous caller reaches it (a login, a sign-up, an API key checked on every request: an
attacker repeats it at will) and medium where every caller is signed in (changing one's own password, a
hash per OAuth sign-in of a known account) or nobody can tell (`cost_at` ANONYMOUS_CALLERS,
analysis/profiles.graded_by_callers); a whole-file read or write costs what the file's size costs, which
the code does not show (medium); a metadata call (`existsSync`, `statSync`, `lstatSync`, `accessSync`,
`readdirSync`, `mkdirSync`, `unlinkSync`) returns in microseconds from a local disk and is only low, in a
route handler: readers of public code judged every one a nit.

## Why it matters
Node serves every request on one thread. While `pbkdf2Sync` derives a key (tens of
milliseconds by design) or `execSync` waits for a process, no other request moves: latency of
the whole service becomes the sum of everyone's blocking work.

## Example
```js
app.post('/login', (req, res) => {
  const hash = crypto.pbkdf2Sync(req.body.password, salt, 310000, 32, 'sha256');
```
Use instead:
```js
  const hash = await promisify(crypto.pbkdf2)(req.body.password, salt, 310000, 32, 'sha256');
```

## Fix
Use the asynchronous form (`fs.promises.readFile`, `util.promisify(exec)`, `crypto.pbkdf2`,
`bcrypt.hash`) and `await` it; read static files once at start-up.

A synchronous helper of the same module that a handler or an async function calls (directly or
through other synchronous helpers: `hashPassword` called by `async login` as `this.hashPassword(...)`)
blocks that request too, and is reported the same way, for the calls that take real time whatever
the input (key derivation, hashing, compression, child processes), not whole-file reads and writes
(`blocking_file_calls`: a helper refreshing a small cache file costs milliseconds), unless it
writes the data its caller handed it (`writeFileSync(path, blob)` with `blob` a parameter: an
upload stored whole, as large as the caller's request).

## Known problems
A synchronous helper of another module that blocks, called from a handler, is not seen; an async
function that only runs at start-up is reported, and its reach says so (a NestJS lifecycle hook, a
command-line library's action, a script: held back by the default profile). A process that returns in
milliseconds (`execSync('git rev-parse HEAD')`) is graded like any other child process (high), and a
`readFileSync` of a large upload like a small template's (medium). A synchronous middleware
(`app.use((req, res, next) => ...)`) is not looked at; an async one is.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import ANONYMOUS_CALLERS, Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import NamedCall, handler_functions, knowledge, location, named_calls
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    handlers = frozenset(f.qualname for f in handler_functions(module, scope))
    blocking, metadata = knowledge().blocking_calls, knowledge().blocking_metadata_calls
    helpers: dict[str, str] | None = None
    for named in named_calls(module, scope):
        if named.function is None or named.name not in blocking:
            continue
        handler = named.function.qualname in handlers
        if not handler and named.name in metadata:
            continue
        if not handler and not _in_async(named.function, module):
            if named.name in knowledge().blocking_file_calls and not _writes_callers_data(named, named.function):
                continue  # a helper reading or writing a (small, cached) file: not worth a finding
            helpers = _awaited_helpers(module, handlers) if helpers is None else helpers
            if named.function.qualname not in helpers:
                continue
        asynchronous = _async_form(named.name)
        line = module.line_text(named.call.line)
        confidence, cost = graded(named.name)
        yield make_finding(
            "blocking-call-in-async", location(module, named.call),
            f"`{named.name}` blocks the event loop while serving a request" if handler else
            f"`{named.name}` blocks the event loop in async `{named.function.name}`"
            if helpers is None or named.function.qualname not in helpers else
            f"`{named.name}` blocks the event loop in `{named.function.name}`, called by "
            f"`{helpers[named.function.qualname].rsplit('.', 1)[-1]}` while serving a request",
            "Node serves every request on one thread: while this call runs, no other request makes progress.",
            severity=Severity.MEDIUM, confidence=confidence, cost_at=cost,
            fix=Fix(f"Use the asynchronous form ({asynchronous}) and await it in an async handler, or do the work once "
                    "at start-up.",
                    _rewrite(line, named.name, asynchronous), "javascript"),
            rule=RULE.id, key=f"{named.name}|{line}",
        )


def graded(name: str) -> tuple[Confidence, str]:
    """(confidence, Finding.cost_at) from what the call costs the event loop, wherever it runs: a child
    process, key derivation or compression takes tens of milliseconds to seconds (high; password
    hashing high only where an anonymous caller can repeat it: `cost_at` ANONYMOUS_CALLERS); a
    whole-file read or write costs what the file's size costs, which the code does not show (medium);
    a metadata call (`existsSync`, `statSync`, `readdirSync`, `mkdirSync`) returns in microseconds
    from a local disk (low)."""
    known = knowledge()
    if name in known.blocking_metadata_calls:
        return Confidence.LOW, ""
    if name in known.blocking_file_calls:
        return Confidence.MEDIUM, ""
    return Confidence.HIGH, ANONYMOUS_CALLERS if name in known.blocking_password_hashes else ""


def _writes_callers_data(named: NamedCall, function: ir.Function) -> bool:
    """`writeFileSync(path, blob)` where `blob` is the helper's parameter: the file holds whatever
    the caller handed in (an uploaded body), so its size, and the time the write blocks, are the
    caller's, not a small file's the helper keeps. Only a write's second argument is data
    (`readFileSync(path, encoding)`, `copyFileSync(from, to)`: an option, a path)."""
    params = {p.name for p in function.params}
    call = named.call
    return named.name in knowledge().blocking_file_writes and len(call.args) >= 2 \
        and isinstance(call.args[1], ir.Name) and call.args[1].id in params


def _awaited_helpers(module: ir.Module, handlers: frozenset[str]) -> dict[str, str]:
    """Synchronous functions of the module that a handler or an async function calls, directly or
    through other synchronous ones (`this.hashPassword(pw)` in `async login`), with that caller:
    they run on the event loop of the request that called them."""
    functions = {f.qualname: f for f in module.functions}
    roots = [f for f in module.functions if f.qualname in handlers or _in_async(f, module)]
    found: dict[str, str] = {}
    frontier = [(f, f.qualname) for f in roots]
    while frontier:
        caller, origin = frontier.pop()
        for callee in _own_callees(caller, functions):
            if callee.qualname in found or callee.is_async or callee.qualname in handlers:
                continue
            found[callee.qualname] = origin
            frontier.append((callee, origin))
    return found


def _own_callees(function: ir.Function, functions: dict[str, ir.Function]) -> Iterable[ir.Function]:
    """The module's functions `function` calls by name: `helper(...)`, `this.helper(...)` on its class."""
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for expr in ir.walk_expr(root):
                if not isinstance(expr, ir.Call):
                    continue
                if isinstance(expr.func, ir.Name):
                    target = functions.get(expr.func.id)
                elif isinstance(expr.func, ir.Attr) and isinstance(expr.func.value, ir.Name) \
                        and expr.func.value.id == "self" and function.class_name:
                    target = functions.get(f"{function.class_name}.{expr.func.attr}")
                else:
                    target = None
                if target is not None and target is not function:
                    yield target


def _in_async(function: ir.Function, module: ir.Module) -> bool:
    """The call runs inside an async function: the function itself or one it is nested in (a
    callback defined in an async method runs while that method's caller waits)."""
    by_name = {f.qualname: f for f in module.functions} if function.parent else {}
    current: ir.Function | None = function
    while current is not None:
        if current.is_async:
            return True
        current = by_name.get(current.parent) if current.parent else None
    return False


def _async_form(name: str) -> str:
    module, _, function = name.rpartition(".")
    base = function[:-len("Sync")] if function.endswith("Sync") else function
    if module == "fs":
        return f"fs.promises.{base}"
    if module == "child_process":
        return f"util.promisify(child_process.{base})"
    if module == "crypto":
        return f"util.promisify(crypto.{base})"
    if module == "zlib":
        return f"util.promisify(zlib.{base})"
    return f"{module}.{base}"


def _rewrite(line: str, name: str, asynchronous: str) -> str:
    function = name.rpartition(".")[2]
    spelled = next((s for s in (name, function, name.split("/")[-1]) if s + "(" in line), "")
    if not spelled:
        return ""
    return line.replace(spelled + "(", f"await {asynchronous}(", 1)


RULE = Rule("js-blocking-call-in-async", frozenset({"blocking-call-in-async"}), "javascript", check,
            requires=("sync(",))
