"""Deadlines a team gives its background jobs beyond one job's own decorator.

A job's `time_limit=` on its decorator or enqueue call is read with the entry point
(analysis/entry_points.py). Two more places in the code say that a job framework stops
the team's jobs after a deadline they chose (data/job_frameworks.yaml):

* a worker-wide setting (`app.conf.update(task_time_limit=1800)`, Django's
  `CELERY_TASK_TIME_LIMIT = 300`): every job of that framework is stopped then;
* a function written to handle the framework's time-limit exception (`except
  SoftTimeLimitExceeded:`, `isinstance(e, JobTimeoutException)`): its authors know it runs
  in a job under such a limit, whatever starts the job (often a module outside the
  reviewed tree, or a registry the call graph cannot follow).
"""
from __future__ import annotations

from typing import Iterator, Mapping

from servicelens import ir
from servicelens.analysis.jobs import JobKnowledge


def app_deadlines(module: ir.Module, knowledge: JobKnowledge) -> tuple[tuple[str, str], ...]:
    """(framework, evidence) for each worker-wide deadline this module sets: an assignment,
    keyword argument or dictionary key named by the framework's `app_deadline_settings`,
    with a value other than `None`."""
    text = "\n".join(module.lines)
    wanted = {name: framework.name for framework in knowledge.frameworks
              for name in framework.app_deadline_settings if name in text}
    if not wanted:
        return ()
    found: dict[str, str] = {}
    for stmt in ir.walk_stmts(module.body):
        for name, value, line in _settings_in(stmt):
            framework = wanted.get(name)
            if framework and framework not in found and bounding(value, knowledge.longest_deadline, written=True):
                found[framework] = f"`{name}` set at {module.path}:{line} stops every {framework} job"
    return tuple(sorted(found.items()))


def _settings_in(stmt: ir.Stmt) -> Iterator[tuple[str, ir.Expr, int]]:
    """(setting name, value, line): `NAME = v`, `app.conf.name = v`, `f(name=v)`, `{"name": v}`."""
    if isinstance(stmt, ir.Assign) and stmt.value is not None:
        for target in stmt.targets:
            dotted = ir.dotted_name(target)
            if dotted:
                yield dotted.rpartition(".")[2], stmt.value, stmt.line
    for expr in ir.stmt_exprs(stmt):
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Call):
                for keyword in node.kwargs:
                    if keyword.name:
                        yield keyword.name, keyword.value, node.line
            elif isinstance(node, ir.DictExpr):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ir.Const) and isinstance(key.value, str):
                        yield key.value, value, key.line


def bounding(value: ir.Expr, longest: float, written: bool = False) -> bool:
    """Whether a deadline setting bounds the job: set (not `None`), and not longer than
    `longest` seconds when its value is written out. A job stopped only after an hour holds a
    worker slot for that hour per hung call: the limit was set against runaway jobs, not hangs.
    `written`: only a value written out counts. A worker-wide limit read from the environment
    is a deployment's knob whose defaults run to hours (`env("TASK_TIME_LIMIT", 43200)`), where
    one job's own `timeout=settings.SCHEMA_TIMEOUT` is still its team's choice for that job."""
    if isinstance(value, ir.Const) and value.value is None:
        return False
    seconds = _seconds(value)
    return seconds <= longest if seconds is not None else not written


def _seconds(value: ir.Expr) -> float | None:
    """A literal number of seconds, products and sums of literals included (`60 * 60`)."""
    if isinstance(value, ir.Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
        return float(value.value)
    if isinstance(value, ir.BinOp) and value.op in ("*", "+"):
        left, right = _seconds(value.left), _seconds(value.right)
        if left is not None and right is not None:
            return left * right if value.op == "*" else left + right
    return None


def deadline_handlers(module: ir.Module, imports: Mapping[str, str],
                      knowledge: JobKnowledge) -> tuple[tuple[str, str, str], ...]:
    """(function qualname, framework, exception) for each function that catches or tests a job
    framework's time-limit exception, named through this module's imports."""
    exceptions = knowledge.deadline_exceptions
    roots = {qualified.partition(".")[0] for qualified in exceptions}
    if not any(target.partition(".")[0] in roots for target in imports.values()):
        return ()
    out = []
    for function in module.functions:
        for dotted in _names_in(function.body):
            head, _, rest = dotted.partition(".")
            qualified = imports.get(head, "") + (f".{rest}" if rest and head in imports else "")
            framework = exceptions.get(qualified)
            if framework:
                out.append((function.qualname, framework, qualified.rpartition(".")[2]))
                break
    return tuple(out)


def _names_in(body: tuple[ir.Stmt, ...]) -> Iterator[str]:
    """Every dotted name the block reads, the types its `except` clauses name included."""
    for stmt in ir.walk_stmts(body):
        exprs = list(ir.stmt_exprs(stmt))
        if isinstance(stmt, ir.Try):
            exprs.extend(handler.types for handler in stmt.handlers if handler.types is not None)
        for expr in exprs:
            for node in ir.walk_expr(expr):
                if isinstance(node, (ir.Name, ir.Attr)) and (dotted := ir.dotted_name(node)):
                    yield dotted
