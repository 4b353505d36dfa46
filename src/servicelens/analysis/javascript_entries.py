"""JavaScript/TypeScript modules run as a program or by a migration tool, not loaded by the
service: their code is a script's (analysis/reach.py), so what only costs something on a
served request is held back there, as for a Python `__main__` block.

A module is one by the contract it implements, never by its path or file name:
- a program: a `#!` line, a `require.main === module` guard, or a top-level call of one of its
  own functions (`void main()`, `main().then(...)`) in a module that starts no server;
- a migration or seed run by its tool (knex, Sequelize, umzug, TypeORM, MikroORM, migrate-mongo):
  it exports `up` and `down` (functions, an exported object's keys, or a class's methods), or
  exports `seed` (knex).
Any of them counts only where no other module of the project imports it (reach.py checks
that): a module imported by the service is loaded by it, whatever it also does when run.

A function handed to a command-line library to run a command (`program.command('install').action(fn)`
of commander or cac, a yargs command's handler: models/node/runtime_sides.yaml) is a command's entry
point, and a function handed to a job library to run each job or scheduled tick (`new Worker(name, fn)`
of BullMQ, Bull's `queue.process(fn)`, `cron.schedule(expr, fn)`: models/node/job_workers.yaml)
a background task's, wherever the module sits.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping

from servicelens import ir
from servicelens.analysis.entry_points import EntryPoint
from servicelens.analysis.javascript_side import runtime_sides
from servicelens.lang.javascript.modules import imported_name
from servicelens.rules.base import all_bodies, iter_calls
from servicelens.packaged_yaml import packaged_yaml

SCRIPT = "script"
MODULE_BODY = "<module>"  # the call-graph key suffix of a module's top-level code (taint/intra.py)
_NESTED = ".<locals>."
_MIGRATION_PAIR = frozenset({"up", "down"})


def script_entries(module: ir.Module, serves: bool) -> tuple[EntryPoint, ...]:
    """The module's top level and every function of it as a script's entry points, with the
    contract that makes it one; () for a module that serves requests or is none."""
    evidence = "" if serves else _program(module) or _migration(module)
    if not evidence:
        return ()
    roots = [MODULE_BODY] + [f.qualname for f in module.functions if _NESTED not in f.qualname]
    return (EntryPoint("", SCRIPT, evidence),) + tuple(EntryPoint(q, SCRIPT, evidence) for q in roots)


def _program(module: ir.Module) -> str:
    if module.lines and module.lines[0].startswith("#!"):
        return f"a program (`{module.lines[0].strip()}`)"
    if any(_is_main_guard(stmt) for stmt in module.body):
        return "a program (`if (require.main === module)`)"
    own = {f.qualname for f in module.functions if _NESTED not in f.qualname and not f.class_name}
    for stmt in ir.walk_stmts(module.body):  # `if (process.env.NODE_ENV !== 'test') { void main(); }` too
        called = _top_level_call(stmt)
        if called in own and not called.startswith("<"):  # an IIFE is how many modules set themselves up
            return f"a program: its top level calls its own `{called}()`"
    return ""


def _top_level_call(stmt: ir.Stmt) -> str:
    """`main()`, `void main()`, `await main()`, `main().then(...).catch(...)`: the name of the
    module's own function the statement starts, or ""."""
    if not isinstance(stmt, ir.ExprStmt):
        return ""
    expr = stmt.value
    while True:
        if isinstance(expr, ir.Unary):
            expr = expr.operand
        elif isinstance(expr, ir.Await):
            expr = expr.value
        elif isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in ("then", "catch",
                                                                                              "finally"):
            expr = expr.func.value
        else:
            break
    return expr.func.id if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) else ""


def _is_main_guard(stmt: ir.Stmt) -> bool:
    if not isinstance(stmt, ir.If) or not isinstance(stmt.test, ir.Compare):
        return False
    sides = {ir.dotted_name(side) for side in (stmt.test.left, *stmt.test.comparators)}
    return stmt.test.ops in (("==",), ("===",)) and {"require.main", "module"} <= sides


def _migration(module: ir.Module) -> str:
    exported = _exported_names(module)
    if _MIGRATION_PAIR <= exported:
        return "a migration its tool runs (it exports `up` and `down`)"
    if "seed" in exported:
        return "a seed file its tool runs (it exports `seed`)"
    for cls in module.classes:
        methods = {m.rpartition(".")[2] for m in cls.methods}
        if _MIGRATION_PAIR <= methods and _declared_exported(module, cls.line):
            return f"a migration its tool runs (class `{cls.name}` with `up` and `down`)"
    return ""


def _exported_names(module: ir.Module) -> set[str]:
    """Names the module exports: `exports.up =`, `module.exports = {up, down}`, `export function
    up` / `export const up =`."""
    names = {f.qualname for f in module.functions
             if not f.class_name and _NESTED not in f.qualname and _declared_exported(module, f.line)}
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        for target in stmt.targets:
            dotted = ir.dotted_name(target) or ""
            if dotted.startswith(("exports.", "module.exports.")):
                names.add(dotted.rpartition(".")[2])
            elif dotted in ("module.exports", "default") and isinstance(stmt.value, ir.DictExpr):
                names.update(k.value for k in stmt.value.keys if isinstance(k, ir.Const) and isinstance(k.value, str))
    return names


def _declared_exported(module: ir.Module, line: int) -> bool:
    return 0 < line <= len(module.lines) and module.lines[line - 1].lstrip().startswith("export ")


TASK = "task"


@dataclass(frozen=True, slots=True)
class JobArgument:
    """Which argument of a job library's call is the job: a positional index (-1: the last one),
    and for a call handed one options object, the key holding the job."""
    index: int
    key: str = ""


@dataclass(frozen=True, slots=True)
class JobWorkers:
    calls: Mapping[str, JobArgument]  # import path of a constructor/function -> where its job is
    methods: Mapping[str, tuple[frozenset[str], JobArgument]]  # method -> (packages importing it, where its job is)


def _argument(spec: Mapping[str, object]) -> JobArgument:
    job = spec.get("job", "last")
    return JobArgument(-1 if job == "last" else int(str(job)), str(spec.get("key", "")))


@lru_cache(maxsize=1)
def job_workers() -> JobWorkers:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/job_workers.yaml").read_text("utf-8"))
    return JobWorkers({call: _argument(spec) for call, spec in data["calls"].items()},
                      {m: (frozenset(spec["packages"]), _argument(spec)) for m, spec in data["methods"].items()})


def job_entries(module: ir.Module, imports: Mapping[str, str]) -> tuple[EntryPoint, ...]:
    """The functions this module hands to a job library as what runs each job or tick: only the
    argument the library runs per job (models/node/job_workers.yaml), not a completion or error
    callback beside it."""
    known = job_workers()
    packages = {_package(target) for target in imports.values()}
    local = {f.qualname.rpartition(_NESTED)[2]: f.qualname for f in module.functions}
    found: dict[str, EntryPoint] = {}
    for _, body in all_bodies(module):
        for call in iter_calls(body):
            via = imported_name(call.func, imports)
            method = call.func.attr if isinstance(call.func, ir.Attr) else ""
            if via in known.calls:
                how, where = f"`{via}`", known.calls[via]
            elif method in known.methods and packages & known.methods[method][0]:
                how, where = f"`.{method}()` of {sorted(packages & known.methods[method][0])[0]}", known.methods[method][1]
            else:
                continue
            handler = _job_argument(call, where)
            if handler is None or (handler.id not in local and handler.id not in imports):
                continue
            evidence = f"run for each job or tick by {how} at line {call.line}"
            if handler.id in local:
                found.setdefault(local[handler.id], EntryPoint(local[handler.id], TASK, evidence))
            else:
                found.setdefault(imports[handler.id], EntryPoint("", TASK, evidence, imports[handler.id]))
    return tuple(found.values())


def _job_argument(call: ir.Call, where: JobArgument) -> ir.Name | None:
    """The function named at the job's place among the call's arguments, or None."""
    if not call.args or where.index >= len(call.args):
        return None
    arg = call.args[where.index]
    if where.key:
        if not isinstance(arg, ir.DictExpr):
            return None
        arg = next((v for k, v in zip(arg.keys, arg.values) if isinstance(k, ir.Const) and k.value == where.key), None)
    return arg if isinstance(arg, ir.Name) else None


COMMAND = "command"


def command_entries(module: ir.Module, imports: Mapping[str, str]) -> tuple[EntryPoint, ...]:
    """The functions this module hands a command-line library as what runs a command an operator
    types (`cli.command('install [pkg]').action(async (src) => ...)` of cac or commander, a yargs
    `.command(name, describe, builder, handler)`: models/node/runtime_sides.yaml `command_handlers`).
    A command is watched by whoever typed it and serves no request, wherever its module sits."""
    handlers = runtime_sides().command_handlers
    packages = {_package(target) for target in imports.values()}
    if not any(packages & libraries for libraries in handlers.values()):
        return ()
    local = {f.qualname.rpartition(_NESTED)[2]: f.qualname for f in module.functions}
    found: dict[str, EntryPoint] = {}
    for _, body in all_bodies(module):
        for call in iter_calls(body):
            method = call.func.attr if isinstance(call.func, ir.Attr) else ""
            library = sorted(packages & handlers.get(method, frozenset()))
            if not library:
                continue
            handler = next((a for a in reversed(call.args) if isinstance(a, ir.Name) and a.id in local), None)
            if handler is not None:
                found.setdefault(local[handler.id], EntryPoint(
                    local[handler.id], COMMAND, f"a command of {library[0]} (`.{method}()` at line {call.line})"))
    return tuple(found.values())


def _package(target: str) -> str:
    parts = target.split(".")[0].split("/")
    return "/".join(parts[:2]) if target.startswith("@") else parts[0]
