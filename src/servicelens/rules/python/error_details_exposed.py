"""Error details exposed: stack traces or raw exception text sent back to the client.

## What it finds
- a response built inside an `except` block that contains `traceback.format_exc()` (or
  `format_exception`, `format_tb`), or the text of a broad or database exception
  (`str(e)`, `repr(e)`, `f"{e}"`, `e.args`) caught as `Exception`, `BaseException`, a bare
  `except:` or a driver error (`DatabaseError`, `OperationalError`, `SQLAlchemyError`, ...):
  `return jsonify(error=str(e)), 500`, `return JsonResponse({"detail": repr(e)})`,
  `raise HTTPException(status_code=500, detail=str(e))`, `return Response(traceback.format_exc())`;
- the same in catch-all handlers: `@app.errorhandler(Exception)` / `@app.exception_handler(Exception)`,
  one wired by `app.register_error_handler(Exception, fn)` / `app.add_exception_handler(500, fn)`
  or mapped by `exception_handlers={Exception: fn}` (Starlette, Litestar), a DRF exception handler
  (a function that hands the exception to REST framework's `exception_handler` first, as the
  `EXCEPTION_HANDLER` setting's target does), and a Django middleware's
  `process_exception(self, request, exception)`;
- `DEBUG_PROPAGATE_EXCEPTIONS = True` in a Django settings module that is not dev/test-only.

## Why it matters
Exception text carries SQL statements, table and column names, file paths, host names,
library versions and sometimes data from other users; a traceback is a map of the code.
Attackers use it to tune injection payloads and find the next bug.

## Example
```python
except Exception as exc:
    return jsonify({"error": str(exc)}), 500
```
Use instead:
```python
except Exception:
    logger.exception("order creation failed")
    return jsonify({"error": "internal error"}), 500
```

## Fix
Log the exception server-side (`logger.exception(...)`) and return a generic message,
optionally with a correlation id the client can quote to support.

## Known problems
Messages of specific exceptions (`ValueError`, `ValidationError`, `KeyError`) are not
reported: they are often written for the client. An exception text stored in a variable
and returned later, or returned from a helper, is missed. Functions that are neither
recognised handlers nor build a response are ignored.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.fixcode.errors import generic_error
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix
from servicelens.rules.base import Rule
from servicelens.rules.python._common import (
    call_name, is_const, is_dev_path, is_settings_module, is_test_path, location, module_constants,
)
from servicelens.taint.scope import ModuleScope

_TRACEBACK = frozenset({"traceback.format_exc", "traceback.format_exception", "traceback.format_tb",
                        "traceback.format_stack", "traceback.print_exc"})
_BROAD = re.compile(r"(^|\.)(Exception|BaseException|DatabaseError|OperationalError|ProgrammingError|"
                    r"IntegrityError|SQLAlchemyError|DBAPIError|PyMongoError|Psycopg2Error|Error)$")
_RESPONSES = re.compile(r"(^|\.)(jsonify|make_response|Response|JsonResponse|HttpResponse\w*|JSONResponse|"
                        r"PlainTextResponse|HTMLResponse|HTTPException|abort|render|render_template|"
                        r"APIException|ErrorResponse|error_response|json_response)$")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    if is_settings_module(module) and not is_dev_path(module.path):
        stmt = module_constants(module).get("DEBUG_PROPAGATE_EXCEPTIONS")
        if stmt is not None and is_const(stmt.value, True):
            yield _finding(module, stmt, "DEBUG_PROPAGATE_EXCEPTIONS = True", Confidence.MEDIUM,
                           "DEBUG_PROPAGATE_EXCEPTIONS = False  # let Django's handler500 answer")
    seen: set[int] = set()
    for finding in _in_functions(module, scope):
        if finding.location.start_line not in seen:
            seen.add(finding.location.start_line)
            yield finding


def _in_functions(module: ir.Module, scope: ModuleScope) -> Iterator[Finding]:
    index = file_index(module, scope)
    registered = _registered_error_handlers(module, index)
    for function in module.functions:
        handler = function.qualname in scope.handlers
        yield from _traceback_in_result(module, scope, function)
        exc_param = _error_handler_param(function, registered, scope)
        if exc_param is not None:
            yield from _leaks(module, scope, function, function.body, exc_param, handler=True)
        for stmt in index.walk_stmts(function.body) if index.has_kind(function.body, ir.Try) else ():
            if isinstance(stmt, ir.Try):
                validation = _validation_only(stmt.body)
                for clause in stmt.handlers:
                    if _broad(clause.types) and not validation:
                        yield from _leaks(module, scope, function, clause.body, clause.name, handler)
                    else:
                        yield from _leaks(module, scope, function, clause.body, None, handler)


_VALIDATOR = re.compile(r"^_?(validate|check|verify|ensure|assert)(_|$)", re.IGNORECASE)


def _validation_only(body: tuple[ir.Stmt, ...]) -> bool:
    """A `try` whose body only calls the project's validators (`validate_no_duplicates(data)`):
    what they raise is a message written for the client, whatever class it is caught as."""
    calls = []
    for stmt in body:
        value = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        if isinstance(value, ir.Await):
            value = value.value
        if not isinstance(value, ir.Call):
            return False
        calls.append((ir.dotted_name(value.func) or "").rsplit(".", 1)[-1])
    return bool(calls) and all(_VALIDATOR.search(name) for name in calls)


def _traceback_in_result(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterator[Finding]:
    """GraphQL/REST error formatters: a traceback stored into the structure the function returns."""
    if not re.search(r"(?i)error|exception", function.name):
        return
    returned = {s.value.id for s in ir.walk_stmts(function.body)
                if isinstance(s, ir.Return) and isinstance(s.value, ir.Name)}
    for stmt in ir.walk_stmts(function.body):
        if not (isinstance(stmt, ir.Assign) and stmt.value is not None and returned):
            continue
        roots = {_root(t) for t in stmt.targets}
        if roots & returned and any(isinstance(n, ir.Call) and call_name(n, scope, function) in _TRACEBACK
                                    for n in ir.walk_expr(stmt.value)):
            # the fix is deleting the assignment (and logging the trace): no line to rewrite
            yield _finding(module, stmt, "traceback added to the error returned to the client", Confidence.HIGH, "")
            return  # one finding per formatter


def _root(expr: ir.Expr) -> str | None:
    while isinstance(expr, (ir.Subscript, ir.Attr)):
        expr = expr.value
    return expr.id if isinstance(expr, ir.Name) else None


def _leaks(module: ir.Module, scope: ModuleScope, function: ir.Function, body: tuple[ir.Stmt, ...],
           exc_name: str | None, handler: bool) -> Iterator[Finding]:
    for stmt in ir.walk_stmts(body):
        if not isinstance(stmt, (ir.Return, ir.Raise)):
            continue
        value = stmt.value if isinstance(stmt, ir.Return) else stmt.exc
        if value is None or not (handler or _builds_response(value, scope, function)):
            continue
        if isinstance(stmt, ir.Raise) and not _builds_response(value, scope, function):
            continue  # re-raising keeps the error server-side
        what = _exposed(value, exc_name, scope, function)
        if what is not None:
            confidence = Confidence.HIGH if what.startswith("traceback") else Confidence.MEDIUM
            code = generic_error("\n".join(module.lines[stmt.line - 1:stmt.end_line]), exc_name or "",
                                 _logger_name(module))
            yield _finding(module, stmt, what, confidence, code or "")


def _exposed(value: ir.Expr, exc_name: str | None, scope: ModuleScope, function: ir.Function) -> str | None:
    for node in ir.walk_expr(value):
        if isinstance(node, ir.Call):
            name = call_name(node, scope, function)
            if name in _TRACEBACK:
                return "traceback returned to the client"
            if exc_name and name in ("str", "repr", "format") and node.args and _is_name(node.args[0], exc_name):
                return f"exception text ({name}({exc_name})) returned to the client"
        if exc_name and isinstance(node, ir.FormattedString) and any(_is_name(p, exc_name) for p in node.parts):
            return f"exception text (f\"{{{exc_name}}}\") returned to the client"
        if exc_name and isinstance(node, ir.Attr) and node.attr in ("args", "message", "orig") and \
                _is_name(node.value, exc_name):
            return f"exception text ({exc_name}.{node.attr}) returned to the client"
    return None


def _is_name(expr: ir.Expr, name: str) -> bool:
    return isinstance(expr, ir.Name) and expr.id == name


def _broad(types: ir.Expr | None) -> bool:
    if types is None:
        return True
    exprs = types.elts if isinstance(types, ir.Seq) else (types,)
    return any(_BROAD.search(ir.dotted_name(t) or "") for t in exprs)


def _builds_response(value: ir.Expr, scope: ModuleScope, function: ir.Function) -> bool:
    if isinstance(value, ir.Seq):
        return any(isinstance(n, ir.Call) and _RESPONSES.search(call_name(n, scope, function))
                   for n in value.elts)
    return isinstance(value, ir.Call) and bool(_RESPONSES.search(call_name(value, scope, function)))


_HANDLER_DECORATORS = frozenset({"errorhandler", "exception_handler", "app_errorhandler"})
_HANDLER_REGISTRARS = frozenset({"register_error_handler", "add_exception_handler", "set_exception_handler"})
# the framework's own exception handler: a function that hands it the exception first and answers
# what it leaves unanswered is the project's handler for every unhandled error (DRF's
# EXCEPTION_HANDLER setting names such a function, in whatever module the team chose)
_DEFAULT_HANDLERS = frozenset({"rest_framework.views.exception_handler"})


def _registered_error_handlers(module: ir.Module, index: FileIndex) -> frozenset[str]:
    """Functions wired as catch-all handlers by a call rather than a decorator:
    `app.register_error_handler(Exception, on_error)`, `app.add_exception_handler(500, on_error)`."""
    # both wirings are calls the index holds (it lays out every body walked below, and more):
    # a file with neither a registrar call nor an `exception_handlers=` keyword has none
    if not any(index.calls_named(name) for name in _HANDLER_REGISTRARS) and \
            not any(kw.name == "exception_handlers" for call in index.of_kind(ir.Call) for kw in call.kwargs):
        return frozenset()
    names = set()
    for function_body in (module.body, *(f.body for f in module.functions)):
        for stmt in ir.walk_stmts(function_body):
            names.update(_mapped_handlers(stmt))
            call = stmt.value if isinstance(stmt, ir.ExprStmt) else None
            if not (isinstance(call, ir.Call) and ir.last_name(call.func) in _HANDLER_REGISTRARS):
                continue
            if len(call.args) >= 2 and (_broad(call.args[0]) or is_const(call.args[0], 500)):
                target = ir.dotted_name(call.args[1]) or ""
                names.add(target.rsplit(".", 1)[-1])
    return frozenset(names)


def _mapped_handlers(stmt: ir.Stmt) -> Iterator[str]:
    """Functions a constructor maps a broad exception or status 500 to:
    `Starlette(exception_handlers={Exception: on_error})`, `Litestar(..., exception_handlers={500: f})`."""
    for node in (n for expr in ir.stmt_exprs(stmt) for n in ir.walk_expr(expr)):
        if not isinstance(node, ir.Call):
            continue
        mapping = node.kwarg("exception_handlers")
        if isinstance(mapping, ir.DictExpr):
            for key, value in zip(mapping.keys, mapping.values):
                if key is not None and (_broad(key) or is_const(key, 500)) and (ir.dotted_name(value) or ""):
                    yield (ir.dotted_name(value) or "").rsplit(".", 1)[-1]


def _delegates_to_default(function: ir.Function, scope: ModuleScope | None) -> str | None:
    """The exception parameter of a function that first hands it to the framework's default
    handler (`response = exception_handler(exc, context)`): the project's catch-all handler."""
    if scope is None or not function.params or function.class_name is not None:
        return None
    first = function.params[0].name
    # the body's calls in walk order, from the file's one traversal
    for node in file_index(scope.module, scope).block_of_kind(function.body, ir.Call):
        if call_name(node, scope, function) in _DEFAULT_HANDLERS and node.args and _is_name(node.args[0], first):
            return first
    return None


def _error_handler_param(function: ir.Function, registered: frozenset[str] = frozenset(),
                         scope: ModuleScope | None = None) -> str | None:
    """The exception parameter of a catch-all handler: `@app.errorhandler(Exception)`,
    `@app.exception_handler(Exception)`, one registered by a call, or a Django middleware's
    `process_exception(self, request, exception)`, which every unhandled view error reaches."""
    params = [p.name for p in function.params if p.name not in ("self", "request", "req")]
    if function.class_name and function.name == "process_exception" and len(function.params) == 3:
        return function.params[2].name
    if function.name in registered and function.class_name is None and params:
        return params[0]
    delegated = _delegates_to_default(function, scope)
    if delegated is not None:
        return delegated
    for decorator in function.decorators:
        if not isinstance(decorator, ir.Call):
            continue
        name = ir.dotted_name(decorator.func) or ""
        if name.rsplit(".", 1)[-1] not in _HANDLER_DECORATORS:
            continue
        first = decorator.args[0] if decorator.args else None
        if first is None or not (_broad(first) or is_const(first, 500)):
            continue
        return params[0] if params else None
    return None


def _logger_name(module: ir.Module) -> str:
    """The module's logger (`log = logging.getLogger(...)`), else the logging module itself."""
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                and ir.last_name(stmt.value.func) == "getLogger" and isinstance(stmt.targets[0], ir.Name):
            return stmt.targets[0].id
    return "logging"


def _finding(module: ir.Module, stmt: ir.Stmt, what: str, confidence: Confidence, code: str) -> Finding:
    return make_finding(
        "error-details-exposed", location(module, stmt),
        what[0].upper() + what[1:] if confidence is Confidence.HIGH else f"Probable {what}",
        "Exception text and tracebacks reveal SQL, table names, file paths, hosts and library versions; attackers "
        "use them to tune injection payloads and map the code.",
        confidence=confidence,
        fix=Fix("Log the exception server-side and return a generic message (with a request id if support needs "
                "one).", code, "python" if code else ""),
        rule=RULE.id, key=what,
    )


RULE = Rule("py-error-details-exposed", frozenset({"error-details-exposed"}), "python", check)
