"""Project functions a function hands to another call to run: callbacks.

`loop.create_task(run_worker(simulate_alerts_async, ...))`, `executor.submit(do_import, path)`,
`retry(send_report)`: the function passed as an argument runs when the call it was handed to
runs it, which is while (or after) the function that handed it runs. The call graph records
calls only, so a job's work reached through such a hand-off looked unreached (reach unknown).
analysis/reach.py follows these edges from jobs: what a job hands on stays that job's work (a
command or script hands functions to the server it starts, an app factory or a start-up hook).
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex


def handed_functions(module: ir.Module, imports: Mapping[str, str],
                     index: FileIndex) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per function (qualname): the project functions it passes as an argument of a call, as
    call-graph keys when defined in this module (`module.name`, `outer.<locals>.name`) or as
    the dotted import path of an imported name (resolved project-wide by analysis/reach.py)."""
    top = {f.qualname for f in module.functions if "." not in f.qualname}
    nested = {f.qualname for f in module.functions if ".<locals>." in f.qualname}
    out = []
    for function in module.functions:
        found: list[str] = []
        for call in index.block_of_kind(function.body, ir.Call):
            for value in (*call.args, *(keyword.value for keyword in call.kwargs)):
                if not isinstance(value, ir.Name):
                    continue
                name = value.id
                local = f"{function.qualname}.<locals>.{name}"
                if local in nested:
                    found.append(f"{module.module_name}.{local}")
                elif name in top:
                    found.append(f"{module.module_name}.{name}")
                elif name in imports and "." in imports[name]:
                    found.append(imports[name])
        if found:
            out.append((function.qualname, tuple(dict.fromkeys(found))))
    return tuple(out)
