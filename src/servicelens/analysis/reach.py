"""Where a finding's code runs: on a served request path, or only offline.

Calls are followed (taint.resolve.call_graph) from two kinds of roots: the route handlers
(every method of a class that declares a route counts, since the framework calls
`get_queryset`, `perform_create`, ... itself) and the entry points a request never starts
(analysis/entry_points.py: management and CLI commands, background tasks, scripts; for JS/TS
also a module's top level and the function that starts the server, analysis/javascript_startup.py). A
function reached from a handler is request-path code, whatever else calls it. A function
reached only from entry points runs offline, and the finding says from which one. Code
reached from neither is unknown: the call graph misses dynamic dispatch, signals and
framework hooks, so nothing is concluded from absence.

A request-path function also records its least privileged caller (analysis/caller_privilege.py):
anyone, any signed-in user, or only staff/administrators, over every route that reaches it. A
function that only privileged routes reach but that runs in what such a route declares around its
handler (a decorator, a `Depends(...)` target, a router dependency, and what they call) is marked
`guard`: it runs before the route has admitted its caller, so a caller without the role runs it too.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Callable, Mapping, Sequence

from servicelens.analysis.caller_privilege import ANYONE, LEVELS, PRIVILEGED, route_callers
from servicelens.analysis.entry_points import THREAD, EntryPoint, FunctionSpan
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.framework_reach import DRIVEN, framework_reach, with_framework_edges
from servicelens.analysis.import_time import DEAD, in_ranges, shadowed_modules
from servicelens.analysis.javascript_framework_runs import with_message_edges
from servicelens.analysis.javascript_startup import called_only
from servicelens.analysis.jobs import job_knowledge
from servicelens.analysis.startup_hooks import STARTUP
from servicelens.analysis.unreachable import UNREACHABLE, Unreachable
from servicelens.frameworks.django_settings import project_middlewares
from servicelens.infra.development import DEVELOPMENT

REQUEST = "request"
OFFLINE_KINDS = ("command", "task", "script", "startup")
_PRIORITY = ("task", "command", "script", "startup")


@dataclass(frozen=True, slots=True)
class Reach:
    kind: str  # "request" | "command" | "task" | "script" | "startup" | "dead" | "unreachable" | "" (unknown)
    evidence: str = ""
    deadline: str = ""  # for a job: the deadline its team gave it ("" = none set)
    callers: str = ""  # for a request path: "anyone" | "signed-in" | "privileged" | "" (cannot tell)
    at_import: bool = False  # a module's own top-level code (analysis/import_time.py), not a start-up hook
    # privileged callers only, but in what admits them (a route's decorator or dependency, and what it
    # calls): it runs for every request to the route, before the role is checked (`guard_code`)
    guard: bool = False

    @property
    def offline(self) -> bool:
        return self.kind in OFFLINE_KINDS


UNKNOWN = Reach("")
_STANDALONE = Reach("script", "in a module run as a script (a `__main__` block, or top-level code that runs it from "
                               "the command line) that no module imports")
_IMPORTED = Reach(STARTUP, "module-level code: it runs once, when the process first imports the module",
                  at_import=True)


@dataclass(frozen=True, slots=True)
class ReachIndex:
    by_function: Mapping[str, Reach]  # function key (module.qualname) -> how it is reached
    spans: Mapping[str, tuple[tuple[int, ...], tuple[FunctionSpan, ...], str]]  # path -> sorted starts, spans, module
    script_modules: frozenset[str]  # paths whose top-level code is a script's
    # paths of modules run as scripts (a `__main__` block) that no module of the project imports:
    # every function there is the script's, whether or not the call graph found the call
    standalone_scripts: frozenset[str] = frozenset()
    # Python modules' lines run at import (analysis/import_time.py), by path
    import_time: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    # module files a same-named package shadows, with why: nothing in them ever runs
    dead_modules: Mapping[str, str] = field(default_factory=dict)
    # modules of the project's test tooling (a pytest plugin, shared fixtures), with why
    test_tooling: Mapping[str, str] = field(default_factory=dict)
    # (path, line) of each JS/TS route declaration -> the reach of a request to it: a finding about
    # the route itself (`router.post('/libraries', ...)` in a router's set-up method) is on its path
    route_lines: Mapping[tuple[str, int], Reach] = field(default_factory=dict)
    # statements that can never run (analysis/unreachable.py), by path
    unreachable: Mapping[str, tuple[Unreachable, ...]] = field(default_factory=dict)

    def at(self, path: str, line: int) -> Reach:
        """The reach of the innermost function around `line` (or of the module's top level), or
        unreachable when no control flow reaches the line, wherever its function runs."""
        dead = next((u for u in self.unreachable.get(path, ()) if u.line <= line <= u.end_line), None)
        if dead is not None:
            return Reach(UNREACHABLE, f"{dead.why}: this line can never run")
        return self.around(path, line)

    def around(self, path: str, line: int) -> Reach:
        """The reach of the function around `line`, whether or not the line itself can run; a
        line that declares a JS/TS route, otherwise unknown or run at start-up (a router's set-up
        method the server's start calls), is the route's request path."""
        found = self._at(path, line)
        return self.route_lines.get((path, line), found) if found is UNKNOWN or found.kind == STARTUP else found

    def _at(self, path: str, line: int) -> Reach:
        if path in self.dead_modules:
            return Reach(DEAD, self.dead_modules[path])
        if path in self.test_tooling:
            return Reach(DEVELOPMENT, self.test_tooling[path])
        found = self.spans.get(path)
        if found is None:  # a module without functions
            return self._top_level(path, line)
        starts, spans, module = found
        # the nearest span starting at or before the line that still contains it is the
        # innermost one: a nested def starts after its parent
        containing = (spans[i] for i in range(bisect_right(starts, line) - 1, -1, -1)
                      if spans[i].line <= line <= spans[i].end_line)
        best = None
        for span in containing:
            if not span.qualname.endswith(DRIVEN):
                best = span
                break
            # a class body line outside its methods: the class's reach when the framework drives it
            reach = self.by_function.get(f"{module}.{span.qualname}")
            if reach is not None:
                return reach
        if best is None:
            return self._top_level(path, line)
        qualname = best.qualname
        while True:
            reach = self.by_function.get(f"{module}.{qualname}")
            if reach is not None:
                return reach
            if ".<locals>." not in qualname:
                return _STANDALONE if path in self.standalone_scripts else UNKNOWN
            qualname = qualname.rsplit(".<locals>.", 1)[0]  # a nested def runs when its parent does

    def function_at(self, path: str, line: int) -> str:
        """The qualname of the innermost function around `line`, "" at a module's top level or
        in a class body."""
        found = self.spans.get(path)
        if found is None:
            return ""
        starts, spans, _ = found
        for i in range(bisect_right(starts, line) - 1, -1, -1):
            span = spans[i]
            if span.line <= line <= span.end_line:
                return "" if span.qualname.endswith(DRIVEN) else span.qualname
        return ""

    def _top_level(self, path: str, line: int) -> Reach:
        if path in self.script_modules:
            return Reach("script", "top-level code of a script")
        return _IMPORTED if in_ranges(self.import_time.get(path, ()), line) else UNKNOWN


def reach_index(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                programs: Mapping[str, str] = MappingProxyType({})) -> ReachIndex:
    """`programs`: JS/TS modules a package.json runs, with how (analysis/javascript_programs.py)."""
    by_function: dict[str, Reach] = {}
    # a NestJS bus runs the handler of each message it is handed, in the sender's own flow
    graph = with_message_edges([(m, f"{fact.module_name}.{q}") for fact in facts for m, q in fact.message_handlers],
                               [(f"{fact.module_name}.{q}", m) for fact in facts for q, m in fact.message_sends], graph)
    by_last: dict[str, list[str]] = {}
    for key in graph:
        by_last.setdefault(key.rpartition(".")[2], []).append(key)
    # what the framework calls itself (hooks, driven classes, signals): edges and request roots
    def resolve(name: str) -> str:
        return _root_key("", EntryPoint("", REQUEST, "", name), graph, by_last)

    framework = framework_reach(facts, graph, resolve)
    graph = with_framework_edges(graph, framework)
    deferred = _deferred_jobs(facts, graph, by_last)
    # a handler or command handing a function to a project function that runs it runs it itself
    run_by_project = _with_project_runs(facts, graph, by_last)
    served_graph = _without_inline_fallbacks(run_by_project, deferred)
    # least privileged callers first: a function a public route reaches is public, whatever
    # admin-only route also reaches it
    served = _served_roots(facts) + _settings_roots(facts, graph, by_last) + list(framework.roots)
    for level in LEVELS:
        roots = [root for root, callers in served if callers == level]
        for key in _closure(roots, served_graph):
            by_function.setdefault(key, Reach(REQUEST, callers=level))
    for key in guard_code(facts, served_graph, resolve):
        found = by_function.get(key)
        if found is not None and found.callers == PRIVILEGED:
            by_function[key] = replace(found, guard=True)
    imported = _imported_modules(facts)
    entries = {fact.rel: _loaded_entries(fact, imported, programs.get(fact.rel, "")) for fact in facts}
    entries = _without_server_starters(facts, entries, graph)
    bounds = _worker_deadlines(facts)
    offline = [(root, started) for fact in facts for entry in entries[fact.rel]
               for root, started in _started(_root_key(fact.module_name, entry, graph, by_last), fact.module_name,
                                             _bounded(entry, bounds) if fact.language == "python" else entry, graph)]
    offline += [(job, _bounded(EntryPoint("", "task", f"handed to a job queue (`.{how}()` in `{caller}`)", job), bounds))
                for caller, jobs in sorted(deferred.items()) for job, how in jobs]
    # a function reached from a job and from a command is a job's code first: nobody watches a
    # job, so what a hang or a slow loop costs there is what matters. (Session 13 tried letting a
    # job without a deadline claim first a function a bounded job also reaches: on the development
    # half it took the deadline from 23 query-runner calls of redash that labellers judged bounded.)
    offline_claims: dict[str, Reach] = {}
    handed_on = _with_callbacks(facts, graph, by_last)
    started_once = called_only(run_by_project, facts)
    for root, entry in sorted(offline, key=lambda item: (_PRIORITY.index(item[1].kind), item[0])):
        deadline = entry.deadline if entry.kind == "task" else ""
        # a job's callbacks run in the job; a command or script may hand a function to the server
        # it starts (`ScriptInfo(create_app=create_app)`, `app.on_startup.append(init_redis)`), so
        # it is followed only into project functions that run what they are handed
        # start-up code runs what it calls, not the callbacks it sets up (analysis/javascript_startup.py)
        closure_graph = handed_on if entry.kind == "task" else started_once if entry.kind == STARTUP else run_by_project
        for key in _closure([root], closure_graph):
            if key not in by_function:
                offline_claims.setdefault(key, _offline_reach(root, entry, key, deadline))
    # A function an entry point reaches offline is that job's or command's code even when some
    # caller nothing was found to reach also calls it. Session 6 tried the opposite (such a
    # caller might be a signal receiver running in a request, so the callee stays unknown): on
    # the triage corpus's development half it turned 23 outbound calls that labellers judged
    # job code into request-path findings (missing-timeout at unknown reach 60/73 true -> 61/96),
    # because most unreached callers are dynamic dispatch or dead code, not request hooks.
    # Signal receivers as request-path roots are the better mechanism (not built yet).
    by_function.update(offline_claims)
    spans = {}
    for fact in facts:
        if fact.spans or fact.framework.class_spans:
            classes = tuple(FunctionSpan(f"{qualname}.{DRIVEN}", line, end)
                            for qualname, line, end in fact.framework.class_spans)
            ordered = tuple(sorted(fact.spans + classes, key=lambda s: (s.line, -s.end_line)))
            spans[fact.rel] = (tuple(s.line for s in ordered), ordered, fact.module_name)
    scripts = frozenset(fact.rel for fact in facts for entry in entries[fact.rel]
                        if not entry.qualname and not entry.target)
    standalone = _standalone_scripts(facts, scripts)
    scripts |= _plain_scripts(facts)
    import_time = {fact.rel: fact.import_time for fact in facts if fact.import_time}
    dead = shadowed_modules(fact.rel for fact in facts if fact.language == "python")
    return ReachIndex(by_function, spans, scripts, standalone, MappingProxyType(import_time), MappingProxyType(dead),
                      MappingProxyType(_test_tooling(facts)), MappingProxyType(_route_lines(facts)),
                      MappingProxyType({fact.rel: fact.unreachable for fact in facts if fact.unreachable}))


def guard_code(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
               resolve: Callable[[str], str]) -> set[str]:
    """The functions that run in what a privileged route declares around its handler (its decorators,
    `Depends(...)` targets, router dependencies: RouteFact.declared_refs) and what they call. They run
    for every request to the route, before it has admitted the caller: the decorator comparing the
    presented key with the configured one is reached by whoever sends a key, although only the
    key's holder gets past it. The handler's own code runs after."""
    roots: list[str] = []
    for fact in facts:
        privileged = frozenset(fact.privileged)
        for route in fact.routes:
            if route_callers(route, privileged) == PRIVILEGED:
                handler = f"{fact.module_name}.{route.qualname}"
                roots.extend(key for ref in route.declared_refs if (key := resolve(ref)) and key != handler)
    return _closure(list(dict.fromkeys(roots)), graph) if roots else set()


def _route_lines(facts: Sequence[FileFacts]) -> dict[tuple[str, int], Reach]:
    """Where each JS/TS route is declared, reached by a request from its least privileged caller."""
    out: dict[tuple[str, int], Reach] = {}
    for fact in facts:
        if fact.language == "python":
            continue
        privileged = frozenset(fact.privileged)
        for route in fact.routes:
            callers = route_callers(route, privileged)
            known = out.get((fact.rel, route.line))
            if known is None or LEVELS.index(callers) < LEVELS.index(known.callers):
                out[(fact.rel, route.line)] = Reach(REQUEST, callers=callers)
    return out


# test frameworks: a module that imports one is part of the test suite's tooling (fixtures, a
# pytest plugin, factories), wherever it sits; no deployed service imports a test runner
_TEST_FRAMEWORKS = frozenset({"pytest", "_pytest", "hypothesis"})


def _test_tooling(facts: Sequence[FileFacts]) -> dict[str, str]:
    """Python modules outside the tests' own directories that import a test framework: the
    test suite's plugins and fixtures (`pytest_plugin.py` of a package, `testing/utils.py`)."""
    out: dict[str, str] = {}
    for fact in facts:
        if fact.language != "python":
            continue
        used = sorted({target.partition(".")[0] for target in fact.imports} & _TEST_FRAMEWORKS)
        if used:
            out[fact.rel] = f"the module imports `{used[0]}`: test tooling, which no deployment runs"
    return out


def _with_callbacks(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                    by_last: Mapping[str, list[str]]) -> Mapping[str, frozenset[str]]:
    """The call graph plus the functions each function hands to a call to run (analysis/callbacks.py):
    a job's `loop.create_task(run_worker(simulate_alerts_async))` runs `simulate_alerts_async` in
    that job. Followed from jobs only: a command or script hands functions to the server it starts
    (an app factory, a start-up hook), which then serve requests, and the request-path closure is
    left as it was measured (a callback a handler registers may run in a later request or never)."""
    extra: dict[str, set[str]] = {}
    for fact in facts:
        for qualname, handed in fact.callbacks:
            caller = f"{fact.module_name}.{qualname}"
            for name in handed:
                key = _handed_key(name, graph, by_last)
                if key and key != caller:
                    extra.setdefault(caller, set()).add(key)
    return _plus_edges(graph, extra)


def _with_project_runs(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                       by_last: Mapping[str, list[str]]) -> Mapping[str, frozenset[str]]:
    """The call graph plus, for each function handing a project function to another project
    function that runs what it is handed (analysis/callbacks.py), an edge to the handed function:
    `crawl` calls `run_on_all_hosts(ctx, options, record_crawl)`, whose body calls `report(...)`,
    so `record_crawl` runs in the command `crawl` is."""
    runners = {f"{fact.module_name}.{qualname}" for fact in facts for qualname in fact.parameter_runners}
    extra: dict[str, set[str]] = {}
    for fact in facts:
        for handoff in fact.handoffs:
            caller = f"{fact.module_name}.{handoff.caller}"
            handed = _handed_key(handoff.handed, graph, by_last)
            if handed and handed != caller and _handed_key(handoff.receiver, graph, by_last) in runners:
                extra.setdefault(caller, set()).add(handed)
    return _plus_edges(graph, extra)


def _handed_key(name: str, graph: Mapping[str, frozenset[str]], by_last: Mapping[str, list[str]]) -> str:
    """The call-graph key of a function named by its key here or by a dotted import path
    (analysis/callbacks.py names a function defined elsewhere by its import)."""
    return name if name in graph else _root_key("", EntryPoint("", "task", "", name), graph, by_last)


def _plus_edges(graph: Mapping[str, frozenset[str]],
                extra: Mapping[str, set[str]]) -> Mapping[str, frozenset[str]]:
    """The call graph with each caller's extra callees added."""
    if not extra:
        return graph
    return {**graph, **{caller: graph.get(caller, frozenset()) | frozenset(keys) for caller, keys in extra.items()}}


def _deferred_jobs(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                   by_last: Mapping[str, list[str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per function, the project functions it hands to a job queue (`import_project.delay(...)`),
    with the deferral method used. Calling `.delay` on a function makes it a job wherever it is
    defined, decorated by a framework this analysis knows or by a project's own wrapper."""
    methods = job_knowledge().deferral_methods
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for fact in facts:
        for summary in fact.summaries:
            jobs = []
            for call in summary.calls:
                target, _, method = call.callee.rpartition(".")
                if method in methods and target:
                    job = _root_key("", EntryPoint("", "task", "", target), graph, by_last)
                    if job and job != summary.key:
                        jobs.append((job, method))
            if jobs:
                out[summary.key] = tuple(dict.fromkeys(jobs))
    return out


def _worker_deadlines(facts: Sequence[FileFacts]) -> dict[str, str]:
    """Job framework -> the worker-wide deadline the project sets for it (analysis/job_deadlines.py)."""
    found: dict[str, str] = {}
    for fact in sorted(facts, key=lambda f: f.rel):
        for framework, evidence in fact.job_deadlines:
            found.setdefault(framework, evidence)
    return found


def _bounded(entry: EntryPoint, bounds: Mapping[str, str]) -> EntryPoint:
    """A job without a deadline of its own takes its framework's worker-wide one; a job whose
    framework is not known (a project's `@app.task` wrapper, a `.delay()` call) takes the one
    worker-wide deadline the project sets, when it sets exactly one. Work on a background
    thread has none."""
    if entry.kind != "task" or entry.deadline or entry.framework == THREAD or not bounds:
        return entry
    deadline = bounds.get(entry.framework, "") if entry.framework else (
        next(iter(bounds.values())) if len(bounds) == 1 else "")
    return replace(entry, deadline=deadline) if deadline else entry


def _started(root: str, module: str, entry: EntryPoint,
             graph: Mapping[str, frozenset[str]]) -> list[tuple[str, EntryPoint]]:
    """The call-graph roots an entry point starts: its own function, and for a method handling
    its job's time-limit exception the methods of the same class that call it, directly or
    through each other: `start()` runs `self.run()` and hands a failure to `self.failed(e)`,
    which tests for `SoftTimeLimitExceeded`, so start runs in the job too."""
    if not root:
        return []
    if not entry.through_class or "." not in entry.qualname or ".<locals>." in entry.qualname:
        return [(root, entry)]
    owner = root.rpartition(".")[0]
    members = [key for key in graph if key.rpartition(".")[0] == owner]
    found = {root}
    grew = True
    while grew:
        grew = False
        for key in members:
            if key not in found and not found.isdisjoint(graph.get(key, ())):
                found.add(key)
                grew = True
    return [(key, entry if key == root else
             replace(entry, qualname=key.removeprefix(f"{module}."), evidence=f"calls `{entry.qualname}`, which "
                     f"{entry.evidence}")) for key in sorted(found)]


def _without_inline_fallbacks(graph: Mapping[str, frozenset[str]],
                              deferred: Mapping[str, tuple[tuple[str, str], ...]]) -> Mapping[str, frozenset[str]]:
    """The call graph without the calls a handler makes to the same work it hands to a job
    queue: `if settings.CELERY_ENABLED: import_project.delay(...) else: importer.import_project(...)`
    runs the import inline only when the queue is switched off (a development set-up), so the
    import is a job's code, not the request's. Only the job itself and what the job calls
    directly count as the same work; other helpers the handler shares with the job stay on the
    request path."""
    pruned = dict(graph)
    for caller, jobs in deferred.items():
        same_work = {job for job, _ in jobs} | {c for job, _ in jobs for c in graph.get(job, ())}
        if caller in pruned:
            pruned[caller] = frozenset(c for c in pruned[caller] if c not in same_work)
    return pruned


def _loaded_entries(fact: FileFacts, imported: set[str], program: str = "") -> tuple[EntryPoint, ...]:
    """The module's entry points, without a JS/TS module's script entries when another module
    of the project imports it: the service loads it, whatever it does when run by itself
    (analysis/javascript_entries.py). A JS/TS module a package.json runs (`program`, how) that
    does not serve is a script's throughout. Python scripts are told by their `__main__` block."""
    if fact.language == "python":
        return fact.entries
    if fact.module_name in imported:
        return tuple(entry for entry in fact.entries if entry.kind != "script")
    if program and not fact.serves and not any(entry.kind == "script" for entry in fact.entries):
        tops = [span.qualname for span in fact.spans if ".<locals>." not in span.qualname]
        return fact.entries + tuple(EntryPoint(q, "script", program) for q in ("", "<module>", *tops))
    return fact.entries


def _without_server_starters(facts: Sequence[FileFacts], entries: dict[str, tuple[EntryPoint, ...]],
                             graph: Mapping[str, frozenset[str]]) -> dict[str, tuple[EntryPoint, ...]]:
    """A JS/TS program whose calls reach a module that serves (declares routes, listens) is the
    service's own entry point (`main()` calling `startServer()`), not a script."""
    serving = {f"{fact.module_name}.{span.qualname}" for fact in facts if fact.serves for span in fact.spans}
    if not serving:
        return entries
    out = dict(entries)
    for fact in facts:
        if fact.language == "python" or fact.serves:
            continue
        roots = [f"{fact.module_name}.{entry.qualname}" for entry in entries[fact.rel]
                 if entry.kind == "script" and entry.qualname]
        if roots and not serving.isdisjoint(_closure(roots, graph)):
            out[fact.rel] = tuple(entry for entry in entries[fact.rel] if entry.kind != "script")
    return out


def _standalone_scripts(facts: Sequence[FileFacts], with_main: frozenset[str]) -> frozenset[str]:
    """Modules with a `__main__` block that no module of the project imports and that declare no
    route: `python scripts/dump_feedback.py` is all that runs their functions, whichever the call
    graph could not follow (a method called on an object, a callback handed to argparse)."""
    imported = _imported_modules(facts)
    return frozenset(fact.rel for fact in facts if fact.rel in with_main and fact.module_name not in imported
                     and not _serves(fact))


# packages whose import makes a module part of a server or worker process, not a hand-run script
_SERVING_PACKAGES = frozenset({"fastapi", "flask", "starlette", "aiohttp", "django", "tornado", "uvicorn",
                               "gunicorn", "hypercorn", "connexion", "sanic", "falcon", "quart", "litestar",
                               "celery", "rq", "dramatiq", "huey", "apscheduler", "grpc"})


def _serves(fact: FileFacts) -> bool:
    """The module builds or runs a server or worker (`uvicorn.run(app)` under `__main__`, a Flask
    app, a worker): its functions serve requests or jobs even when nothing imports it."""
    return bool(fact.routes or fact.registrations or fact.router_includes or fact.applications
                or fact.request_hooks or fact.url_patterns
                or any(target.partition(".")[0] in _SERVING_PACKAGES for target in fact.imports))


def _imported_modules(facts: Sequence[FileFacts]) -> set[str]:
    imported = {target for fact in facts for target in fact.imports}
    return imported | {target.rsplit(".", 1)[0] for target in imported}  # `from pkg.mod import name`


def _plain_scripts(facts: Sequence[FileFacts]) -> frozenset[str]:
    """Modules that are only a sequence of statements (no function, no class) and that no module
    of the project imports: a setup script run by hand (`python dev/init.py`), not code a
    service loads. Its top-level code is a script's even without a `__main__` guard."""
    imported = _imported_modules(facts)
    return frozenset(fact.rel for fact in facts if fact.language == "python" and fact.summaries
                     and not fact.spans and not fact.routes and fact.module_name not in imported
                     and fact.module_name.rsplit(".", 1)[-1] not in ("settings", "urls", "conf", "config",
                                                                     "__init__", "wsgi", "asgi"))


def _served_roots(facts: Sequence[FileFacts]) -> list[tuple[str, str]]:
    """(function key, its least privileged caller): route handlers, every method and the
    body of a class that declares a route (the framework calls `get_queryset`, `perform_create`,
    ... itself, and reads `queryset`, for any of the class's routes), and what a JS/TS request
    runs besides its handler (middleware, error handlers, handler factories:
    FileFacts.request_runs)."""
    roots: list[tuple[str, str]] = []
    for fact in facts:
        privileged = frozenset(fact.privileged)
        owners: dict[str, str] = {}
        for route in fact.routes:
            callers = route_callers(route, privileged)
            roots.append((f"{fact.module_name}.{route.qualname}", callers))
            if "." in route.qualname and fact.language == "python":  # Nest and Express call only the route method
                owner = route.qualname.rpartition(".")[0]
                known = owners.get(owner)
                owners[owner] = callers if known is None else min(known, callers, key=LEVELS.index)
        roots.extend((f"{fact.module_name}.{span.qualname}", owners[owner]) for span in fact.spans
                     if (owner := span.qualname.rpartition(".")[0]) in owners)
        # the class body too (`queryset = Order.objects.all()`, `serializer_class = ...`): the
        # framework reads it in each request of the class's routes
        roots.extend((f"{fact.module_name}.{owner}.{DRIVEN}", callers) for owner, callers in owners.items())
        roots.extend((f"{fact.module_name}.{qualname}", callers) for qualname, callers in fact.request_runs)
    return roots


# what Django calls, in a request, on a class its settings list: a MIDDLEWARE around every
# request, an AUTHENTICATION_BACKENDS entry at every sign-in (and to load the signed-in user)
_SETTINGS_HOOKS = (
    ("middleware", ("__call__", "process_request", "process_view", "process_response", "process_exception",
                    "process_template_response")),
    ("authentication_backends", ("authenticate", "get_user")),
)


def _settings_roots(facts: Sequence[FileFacts], graph: Mapping[str, frozenset[str]],
                    by_last: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """The request hooks of the project's own classes the Django settings list: Django runs
    them in requests, before any view decides who the caller is."""
    settings = [item for fact in facts for item in fact.settings]
    roots: list[tuple[str, str]] = []
    for kind, methods in _SETTINGS_HOOKS:
        for dotted in project_middlewares(settings, kind):
            for method in methods:
                key = _root_key("", EntryPoint("", REQUEST, "", f"{dotted}.{method}"), graph, by_last)
                if key:
                    roots.append((key, ANYONE))
            # a function middleware (`def timing(get_response): def middleware(request): ...; return
            # middleware`): Django calls the factory once at start-up, the function it returns per request
            factory = _root_key("", EntryPoint("", REQUEST, "", dotted), graph, by_last) if kind == "middleware" else ""
            roots.extend((key, ANYONE) for key in graph if factory and key.startswith(f"{factory}.<locals>."))
    return roots


def _closure(roots: Sequence[str], graph: Mapping[str, frozenset[str]]) -> set[str]:
    seen = set(roots)
    queue = deque(roots)
    while queue:
        for callee in graph.get(queue.popleft(), ()):
            if callee not in seen:
                seen.add(callee)
                queue.append(callee)
    return seen


def _root_key(module_name: str, entry: EntryPoint, graph: Mapping[str, frozenset[str]],
              by_last: Mapping[str, list[str]]) -> str:
    """The call-graph key of an entry point; an enqueued function imported from another
    module is found by its dotted path (the longest unambiguous suffix match)."""
    if entry.qualname:
        return f"{module_name}.{entry.qualname}"
    if not entry.target:
        return ""
    if entry.target in graph:
        return entry.target
    candidates = [k for k in by_last.get(entry.target.rpartition(".")[2], ())
                  if entry.target.endswith("." + k) or k.endswith("." + entry.target)
                  or k.endswith("." + entry.target.partition(".")[2])]
    return candidates[0] if len(candidates) == 1 else ""


def _offline_reach(root: str, entry: EntryPoint, key: str, deadline: str = "") -> Reach:
    name = entry.qualname or entry.target
    # a JS function with no name of its own (`<anon@12>`) or a module's top level: the module says it
    how = entry.evidence if name.startswith("<") or name.endswith(">") else f"`{name}` ({entry.evidence})"
    return Reach(entry.kind, f"runs in {how}" if key == root else f"only reached from {how}", deadline)
