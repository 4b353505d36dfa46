"""Where each function of a module sits, and which functions something other than an HTTP
request starts: a management command, a CLI command, a background task, a script's
`__main__` block.

The project phase (analysis/reach.py) follows calls from these entry points and from the
route handlers to tell request-path code from code that only ever runs offline, so a
query in a loop of an importer is not ranked like one in a view. Entry points are
recognised by the framework contract they implement (a `BaseCommand` subclass, a
`@shared_task`, a `click` command, a file under `management/commands/`), never by a
function's own name.
"""
from __future__ import annotations

from dataclasses import dataclass

from typing import Iterator

from servicelens import ir
from servicelens.analysis.job_deadlines import bounding, deadline_handlers
from servicelens.analysis.jobs import JobKnowledge, job_knowledge
from servicelens.analysis.startup_hooks import STARTUP, serving_starters, startup_hooks
from servicelens.rules.base import all_bodies, iter_calls

# decorators whose last name segment makes the function a background job (Celery, Huey,
# Dramatiq, RQ, APScheduler, Django-Q/cron wrappers) or a command-line command (click,
# typer, Flask's app.cli, flask-script)
_TASK_DECORATORS = frozenset({"task", "shared_task", "periodic_task", "db_task", "db_periodic_task", "actor",
                              "job", "scheduled_job", "cron", "crontab_task"})
_COMMAND_DECORATORS = frozenset({"command", "group"})
_COMMAND_BASES = frozenset({"BaseCommand", "LabelCommand", "AppCommand"})
THREAD = "thread"  # the `framework` of work run on a background thread: no job framework's limit stops it


@dataclass(frozen=True, slots=True)
class FunctionSpan:
    """A function's lines, so a finding's line can be mapped to the function it is in."""

    qualname: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """A function started by something other than a request. kind: command | task | script | startup."""

    qualname: str  # in this module; "" with `target` set for a function defined elsewhere
    kind: str
    evidence: str  # what makes it one: "`@shared_task`", "subclass of BaseCommand", ...
    target: str = ""  # dotted import path of an enqueued function defined in another module
    deadline: str = ""  # the deadline the team gave the job (`timeout=` on its decorator), "" if none
    framework: str = ""  # the job framework that runs it, "" when not known (a project's own wrapper)
    # the function handles its framework's time-limit exception (analysis/job_deadlines.py): the
    # methods of its class that call it run in the same job
    through_class: bool = False


def function_spans(module: ir.Module) -> tuple[FunctionSpan, ...]:
    return tuple(FunctionSpan(f.qualname, f.line, f.end_line) for f in module.functions)


def entry_points(module: ir.Module, imports: dict[str, str]) -> tuple[EntryPoint, ...]:
    found: dict[str, EntryPoint] = {}
    knowledge = job_knowledge()
    command_classes = {cls.qualname: evidence for cls in module.classes
                       if (evidence := _command_class(cls, imports, module.path))}
    for function in module.functions:
        entry = _decorated_entry(function, imports, knowledge) or (
            EntryPoint(function.qualname, "command", command_classes[function.class_name])
            if function.class_name in command_classes else None)
        if entry is not None:
            found[function.qualname] = entry
    names = {f.qualname for f in module.functions}
    for called in _called_under_main(module):
        if called in names and called not in found:
            found[called] = EntryPoint(called, "script", "called from the `if __name__ == \"__main__\"` block")
    enqueued = _enqueued(module, imports, knowledge, names) + _thread_targets(module, imports, knowledge, names) \
        + _background_tasks(module, imports, knowledge, names)
    for entry in enqueued:
        key = entry.qualname or entry.target
        if key not in found or found[key].kind == "script":  # run as a job by the service, by hand as well
            found[key] = entry
    for qualname, framework, exception in deadline_handlers(module, imports, knowledge):
        known = found.get(qualname)
        if known is None or (known.kind == "task" and not known.deadline):
            deadline = f"{framework}'s time limit, which `{qualname}` handles (`{exception}`)"
            found[qualname] = EntryPoint(qualname, "task", known.evidence if known else f"handles `{exception}`", "",
                                         deadline, framework, through_class=True)
    for qualname, evidence in _migration_functions(module, names).items():
        found.setdefault(qualname, EntryPoint(qualname, "command", evidence))
    for qualname, evidence in startup_hooks(module, frozenset(names)).items():
        found.setdefault(qualname, EntryPoint(qualname, STARTUP, evidence))
    for qualname, evidence in serving_starters(module, imports).items():
        found.setdefault(qualname, EntryPoint(qualname, STARTUP, evidence))
    if runs_as_script(module):
        found[""] = EntryPoint("", "script", "module with a `__main__` block")
    elif how := _command_line_program(module, imports, names):
        found[""] = EntryPoint("", "script", how)
    return tuple(found.values())


# Django's data migration operation: the functions it is given run in `manage.py migrate`
_MIGRATION_OPERATIONS = frozenset({"RunPython"})


def _migration_functions(module: ir.Module, names: set[str]) -> dict[str, str]:
    """`migrations.RunPython(forwards, backwards)` (in a Migration class's `operations` or at
    module level): both functions run when the migrate command applies or reverts it."""
    if "RunPython" not in "\n".join(module.lines):  # one search of the text (no line break in the needle)
        return {}
    found: dict[str, str] = {}
    scopes = [("", module.body)] + [(f"{cls.qualname}.", cls.body) for cls in module.classes]
    for prefix, body in scopes:
        for call in iter_calls(body):
            if (ir.dotted_name(call.func) or "").rpartition(".")[2] not in _MIGRATION_OPERATIONS:
                continue
            for value in (*call.args[:2], call.kwarg("code"), call.kwarg("reverse_code")):
                name = ir.dotted_name(value) if value is not None else None
                for qualname in (f"{prefix}{name}", name) if name else ():
                    if qualname in names:
                        found.setdefault(qualname, f"`RunPython({name})` at line {call.line}: run by `manage.py migrate`")
                        break
    return found


def runs_as_script(module: ir.Module) -> bool:
    """A module with a `__main__` block: its top-level code is a script's."""
    return any(is_main_guard(stmt) for stmt in module.body)


# what a program started from a shell reads at its top level: its command line
_COMMAND_LINE = frozenset({"sys.argv", "sys.orig_argv"})


def _command_line_program(module: ir.Module, imports: dict[str, str], names: set[str]) -> str:
    """How a module without a `__main__` guard shows it is a program run from a shell ("" when it
    does not): its top-level code runs its own functions and either reads the command line
    (`sys.argv`, `parser.parse_args()`) or sits in a file whose name Python cannot import
    (`generate-changelog.py`: only `python generate-changelog.py` runs it). A module imported for
    its definitions runs nothing of its own at import, whatever it reads."""
    top = [stmt for stmt in module.body if not isinstance(stmt, ir.Def)]
    nodes = [node for stmt in top for inner in ir.walk_stmts((stmt,)) for expr in ir.stmt_exprs(inner)
             for node in ir.walk_expr(expr)]
    calls = {ir.dotted_name(node.func) or "" for node in nodes if isinstance(node, ir.Call)}
    if not calls & names:
        return ""
    stem = module.path.rpartition("/")[2].removesuffix(".py")
    if not stem.isidentifier():
        return f"a file Python cannot import (`{stem}.py`) whose top-level code runs its functions: a program run by hand"
    read = {_qualified(ir.dotted_name(node) or "", imports) for node in nodes if isinstance(node, ir.Attr)}
    if read & _COMMAND_LINE or any(name.rpartition(".")[2] == "parse_args" for name in calls):
        return "top-level code that reads the command line and runs the module's functions: a program run by hand"
    return ""


def _decorated_entry(function: ir.Function, imports: dict[str, str], knowledge: JobKnowledge) -> EntryPoint | None:
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        dotted = ir.dotted_name(target) or ""
        last = dotted.rpartition(".")[2]
        framework = knowledge.framework_of(_qualified(dotted, imports))
        if last in _TASK_DECORATORS or (framework is not None and last in framework.job_decorators):
            deadline = _deadline_keyword(decorator, framework.deadline_keywords if framework else _ANY_DEADLINE,
                                         f"`@{dotted}`", knowledge.longest_deadline)
            return EntryPoint(function.qualname, "task", f"`@{dotted}`", "", deadline,
                              framework.name if framework else "")
        if last in _COMMAND_DECORATORS and ("." in dotted or dotted in _COMMAND_DECORATORS):
            return EntryPoint(function.qualname, "command", f"`@{dotted}`")
    return None


# keyword arguments that bound a job's run time in some framework: used when the job
# decorator's framework is not known from this module's imports (a project's own wrapper)
_ANY_DEADLINE = frozenset({"timeout", "job_timeout", "time_limit", "soft_time_limit"})


def _deadline_keyword(call: ir.Expr, keywords: frozenset[str], where: str, longest: float) -> str:
    if not isinstance(call, ir.Call):
        return ""
    for keyword in call.kwargs:
        if keyword.name in keywords and bounding(keyword.value, longest):
            return f"`{keyword.name}=` on {where} stops it"
    return ""


def _qualified(dotted: str, imports: dict[str, str]) -> str:
    head, _, rest = dotted.partition(".")
    return imports.get(head, head) + (f".{rest}" if rest else "")


def _enqueued(module: ir.Module, imports: dict[str, str], knowledge: JobKnowledge,
              local: set[str]) -> list[EntryPoint]:
    """Functions handed to a job queue (`queue.enqueue(execute_query, ...)`): jobs, wherever
    they are defined."""
    out: list[EntryPoint] = []
    text = "\n".join(module.lines)  # `.name(` holds no newline: found in the text iff in a line
    if not any(f".{name}(" in text for name in knowledge.enqueue_calls):
        return out
    for call in _calls(module):
        if not isinstance(call.func, ir.Attr) or call.func.attr not in knowledge.enqueue_calls:
            continue
        position, keyword = knowledge.enqueue_calls[call.func.attr]
        job = call.kwarg(keyword) or (call.args[position] if len(call.args) > position else None)
        dotted = ir.dotted_name(job) if job is not None else None
        if not dotted:
            continue
        framework = knowledge.framework_of(_qualified(ir.dotted_name(call.func.value) or "", imports))
        evidence = f"enqueued as a job (`.{call.func.attr}({dotted}, ...)` at line {call.line})"
        deadline = _deadline_keyword(call, framework.deadline_keywords if framework else _ANY_DEADLINE,
                                     f"the `.{call.func.attr}()` at line {call.line}", knowledge.longest_deadline)
        name = framework.name if framework else ""
        if dotted in local:
            out.append(EntryPoint(dotted, "task", evidence, "", deadline, name))
        else:
            out.append(EntryPoint("", "task", evidence, _qualified(dotted, imports), deadline, name))
    return out


def _thread_targets(module: ir.Module, imports: dict[str, str], knowledge: JobKnowledge,
                    local: set[str]) -> list[EntryPoint]:
    """Functions a background thread or process runs (`Thread(target=integration.do_import)`):
    the request that starts it does not wait for them, so their cost is a job's, not the
    request's. A method on an object is named by its dotted path; reach resolves it."""
    out: list[EntryPoint] = []
    text = "\n".join(module.lines)  # `name(` holds no newline: found in the text iff in a line
    if not any(f"{name}(" in text for name in knowledge.thread_starts):
        return out
    for call in _calls(module):
        dotted_class = ir.dotted_name(call.func) or ""
        spec = knowledge.thread_starts.get(dotted_class.rpartition(".")[2])
        if spec is None or _qualified(dotted_class, imports).partition(".")[0] not in ("threading", "multiprocessing"):
            continue
        position, keyword = spec
        job = call.kwarg(keyword) or (call.args[position] if len(call.args) > position else None)
        dotted = ir.dotted_name(job) if job is not None else None
        if not dotted or dotted.partition(".")[0] == "self":
            continue  # `self.worker`: a long-lived worker loop of this object, not work handed off per request
        evidence = f"run on a background thread (`{dotted_class}(target={dotted})` at line {call.line})"
        if dotted in local:
            out.append(EntryPoint(dotted, "task", evidence, framework=THREAD))
        else:
            out.append(EntryPoint("", "task", evidence, _qualified(dotted, imports), framework=THREAD))
    return out


def _background_tasks(module: ir.Module, imports: dict[str, str], knowledge: JobKnowledge,
                      local: set[str]) -> list[EntryPoint]:
    """Coroutines run as background tasks on the event loop (`asyncio.create_task(poll(app))`):
    nothing waits for them, so a hang there is a stuck job, whoever started it."""
    out: list[EntryPoint] = []
    text = "\n".join(module.lines)
    if not any(f"{name}(" in text for name in knowledge.task_starts):
        return out
    for call in _calls(module):
        started = (ir.dotted_name(call.func) or "").rpartition(".")[2]
        if started not in knowledge.task_starts or not call.args:
            continue
        job = call.args[0].func if isinstance(call.args[0], ir.Call) else call.args[0]
        dotted = ir.dotted_name(job) or ""
        if not dotted or dotted.partition(".")[0] in ("self", "cls"):
            continue
        evidence = f"run as a background task (`{started}({dotted}(...))` at line {call.line})"
        if dotted in local:
            out.append(EntryPoint(dotted, "task", evidence, framework=THREAD))
        elif "." in _qualified(dotted, imports):
            out.append(EntryPoint("", "task", evidence, _qualified(dotted, imports), framework=THREAD))
    return out


def _calls(module: ir.Module) -> Iterator[ir.Call]:
    for _, body in all_bodies(module):
        yield from iter_calls(body)


def _command_class(cls: ir.ClassDef, imports: dict[str, str], path: str) -> str:
    for base in cls.bases:
        qualified = _qualified(ir.dotted_name(base) or "", imports)
        if qualified.rpartition(".")[2] in _COMMAND_BASES and (
                "management" in qualified or "/management/commands/" in f"/{path}"):
            return f"a management command, subclass of `{qualified.rpartition('.')[2]}`"
    return ""


def _called_under_main(module: ir.Module) -> set[str]:
    called: set[str] = set()
    for stmt in module.body:
        if not is_main_guard(stmt):
            continue
        assert isinstance(stmt, ir.If)
        for inner in ir.walk_stmts(stmt.body):
            for expr in ir.stmt_exprs(inner):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call):
                        dotted = ir.dotted_name(node.func)
                        if dotted:
                            called.add(dotted)
    return called


def is_main_guard(stmt: ir.Stmt) -> bool:
    if not isinstance(stmt, ir.If) or not isinstance(stmt.test, ir.Compare):
        return False
    sides = (stmt.test.left, *stmt.test.comparators)
    return stmt.test.ops == ("==",) and any(isinstance(s, ir.Name) and s.id == "__name__" for s in sides) \
        and any(isinstance(s, ir.Const) and s.value == "__main__" for s in sides)
