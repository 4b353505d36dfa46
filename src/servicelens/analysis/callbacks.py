"""Project functions a function hands to another call to run: callbacks.

`loop.create_task(run_worker(simulate_alerts_async, ...))`, `executor.submit(do_import, path)`,
`retry(send_report)`: the function passed as an argument runs when the call it was handed to
runs it, which is while (or after) the function that handed it runs. The call graph records
calls only, so a job's work reached through such a hand-off looked unreached (reach unknown).
analysis/reach.py follows these edges from jobs: what a job hands on stays that job's work (a
command or script hands functions to the server it starts, an app factory or a start-up hook).
From a command they are followed only into a project function that runs what it is handed
(`run_on_all_hosts(ctx, options, record_crawl)` whose body calls `report(...)`): that runs in the
command, whereas a library call handed a function may keep it for a server to run later.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex


@dataclass(frozen=True, slots=True)
class Handoff:
    """A project function handed to another project function's call: `report` in
    `run_on_all_hosts(ctx, options, record_crawl)`. Names are call-graph keys when defined in
    the module, else dotted import paths (resolved project-wide by analysis/reach.py)."""

    caller: str  # qualname of the function making the call
    handed: str
    receiver: str


def handed_functions(module: ir.Module, imports: Mapping[str, str], index: FileIndex
                     ) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[Handoff, ...]]:
    """In one walk of each function's calls: per function (qualname), the project functions it
    passes as an argument of any call, as call-graph keys when defined in this module
    (`module.name`, `outer.<locals>.name`) or as the dotted import path of an imported name
    (resolved project-wide by analysis/reach.py); and among them, those handed to a call of a
    project function by its bare name (`Handoff`; calls of methods and of library functions are not)."""
    top = {f.qualname for f in module.functions if "." not in f.qualname}
    nested = {f.qualname for f in module.functions if ".<locals>." in f.qualname}
    callbacks = []
    handoffs: list[Handoff] = []
    for function in module.functions:
        found: list[str] = []
        for call in index.block_of_kind(function.body, ir.Call):
            receiver = _project_name(call.func.id, function.qualname, module.module_name, top, nested, imports) \
                if isinstance(call.func, ir.Name) else ""
            for value in (*call.args, *(keyword.value for keyword in call.kwargs)):
                if isinstance(value, ir.Name) and (key := _project_name(value.id, function.qualname, module.module_name,
                                                                         top, nested, imports)):
                    found.append(key)
                    if receiver:
                        handoffs.append(Handoff(function.qualname, key, receiver))
        if found:
            callbacks.append((function.qualname, tuple(dict.fromkeys(found))))
    return tuple(callbacks), tuple(dict.fromkeys(handoffs))


# calls that run the function they are handed before the caller goes on (a pool's `submit`/`map`,
# `loop.run_in_executor`, `asyncio.to_thread`, a thread's `target=`), as opposed to storing it
_RUNNING_CALLS = frozenset({"submit", "map", "starmap", "imap", "imap_unordered", "run_in_executor", "to_thread"})
_TARGET_TAKERS = frozenset({"Thread", "Process"})


def parameter_runners(module: ir.Module, index: FileIndex) -> tuple[str, ...]:
    """Qualnames of the functions that run a function they are given: they call one of their
    parameters (`report(ctx, options, results)`) or hand it to a pool or thread that runs it.
    A function that only stores its parameter (a registry's `register(fn)`) is not one."""
    out = []
    for function in module.functions:
        params = {p.name for p in function.params if p.name not in ("self", "cls")}
        if not params:
            continue
        for call in index.block_of_kind(function.body, ir.Call):
            if isinstance(call.func, ir.Name) and call.func.id in params:
                out.append(function.qualname)
                break
            last = (ir.dotted_name(call.func) or "").rpartition(".")[2]
            if last in _TARGET_TAKERS:
                handed = call.kwarg("target")
            elif last == "run_in_executor":  # loop.run_in_executor(executor, fn, *args)
                handed = call.arg(1)
            elif last in _RUNNING_CALLS:
                handed = call.arg(0)
            else:
                continue
            if isinstance(handed, ir.Name) and handed.id in params:
                out.append(function.qualname)
                break
    return tuple(out)


def _project_name(name: str, qualname: str, module_name: str, top: set[str], nested: set[str],
                  imports: Mapping[str, str]) -> str:
    """The call-graph key (or dotted import path) of a bare name used in function `qualname`, when
    it names a project function: nested in it, defined at the module's top, or imported."""
    local = f"{qualname}.<locals>.{name}"
    if local in nested:
        return f"{module_name}.{local}"
    if name in top:
        return f"{module_name}.{name}"
    if name in imports and "." in imports[name]:
        return imports[name]
    return ""
