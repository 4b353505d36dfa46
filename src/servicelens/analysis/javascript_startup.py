"""What a Node service runs once, at start-up: a JS/TS module's top-level code (it runs when the
process first loads the module) and the function that starts the server (`app.listen(port)` in
`start()`: models/node/startup.yaml), followed through what they call.

    // index.ts                               // db.ts
    await migrate();                           export async function migrate() {
    async function start() {                     for (const m of pending) await db.query(m.sql);
      await loadSettings();                    }
      app.listen(3000);
    }

`migrate` and `loadSettings` run at start-up. Only calls are followed, not the callbacks a
start-up function defines inline: a route handler, an event handler or a timer it sets up runs
later, in a request or a job (javascript_file._runs_callbacks files those as calls of their
parent for the request path; here they are left out). Functions a request or a job also reaches
are theirs (analysis/reach.py claims request paths first and jobs before start-up).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

from servicelens import ir
from servicelens.analysis.entry_points import EntryPoint
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.javascript_entries import MODULE_BODY
from servicelens.analysis.startup_hooks import STARTUP
from servicelens.packaged_yaml import packaged_yaml
from servicelens.rules.base import iter_calls

_JS = frozenset({"javascript", "typescript"})
_NESTED = ".<locals>."
_TOP_LEVEL = "module-level code: it runs once, when the process first loads the module"


@lru_cache(maxsize=1)
def server_starts() -> frozenset[str]:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/startup.yaml").read_text("utf-8"))
    return frozenset(data["server_starts"])


def startup_entries(module: ir.Module) -> tuple[EntryPoint, ...]:
    """The module's top level, and each function of it that starts a server, as start-up entry points."""
    found = [EntryPoint(MODULE_BODY, STARTUP, _TOP_LEVEL)]
    starts = server_starts()
    for function in module.functions:
        if _NESTED in function.qualname:
            continue
        call = next((c for c in iter_calls(function.body) if isinstance(c.func, ir.Attr) and c.func.attr in starts), None)
        if call is not None:
            found.append(EntryPoint(function.qualname, STARTUP,
                                    f"it starts the server (`.{call.func.attr}()` at line {call.line})"))
    return tuple(found)


def called_only(graph: Mapping[str, frozenset[str]], facts: Sequence[FileFacts]) -> Mapping[str, frozenset[str]]:
    """The call graph without the edges from a JS/TS function to the callbacks it defines inline
    (`app.use((req, res, next) => ...)`, `socket.on('message', ...)`): those run when something
    calls them back, not when their parent runs. A nested function the parent calls by name loses
    its edge too: no edge is better than one that turns request code into start-up code."""
    modules = tuple(f"{fact.module_name}." for fact in facts if fact.language in _JS)
    if not modules:
        return graph
    out: dict[str, frozenset[str]] = {}
    for caller, callees in graph.items():
        if caller.startswith(modules):
            prefix = caller + _NESTED
            kept = frozenset(c for c in callees if not c.startswith(prefix))
            out[caller] = kept if len(kept) != len(callees) else callees
        else:
            out[caller] = callees
    return out
