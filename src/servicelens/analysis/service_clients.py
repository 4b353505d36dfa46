"""Clients of the service shipped beside it: which of their methods the service itself runs.

A class that requests the service's own routes at an address its caller hands in
(analysis/service_client_urls.py) is a client of the service: an SDK the package exports, the
client the project's own CLI drives. It runs in the process of whoever makes one. Reach
(analysis/reach.py) finds no route, job or start-up hook calling its methods and leaves them
unknown, which says nothing; who makes the client says where it runs:

- an instance made where the service runs (a line whose reach is a request, a job, start-up, or
  unknown: the worker asking the supervisor for its address through the SDK) runs the methods
  called on it there (`Client(url).address()`, or `c = Client(url)` and `c.x()` in the same
  function), its dunders, and what those call in turn; an instance that escapes that function
  (returned, stored, handed to a call) may run any method, and so does a class looked up by a
  string, handed over as a value, or with a base that is not the project's: nothing is concluded;
- an instance made only in the project's own commands or scripts, in development or test code,
  or by a method of another client that the service itself never runs (`get_model()` returning a
  handle), runs outside the service. A class made nowhere by name is not judged: some discovery
  (an entry point, a registry) may make it in the service.

A method of a client class the service runs by neither route has reach `client`: a cost-only
finding there (a missing timeout, a slow loop) is the importing program's, held back like a
script's (data/profile.yaml 11). Python only.

Demand-driven: a module is parsed for client classes only when its text can write such a request
(service_client_urls.may_request_own_routes), and who makes a class is read only for a class that
is a client or when some module holds one; a review without a client parses nothing here.
"""
from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from servicelens.analysis.instance_uses import (
    Reference,
    harmless_nodes,
    parent_map,
    references,
)
from servicelens.analysis.postprocess import is_test_path
from servicelens.analysis.service_client_urls import may_request_own_routes, own_route_requests
from servicelens.analysis.unreferenced import caller_spelled, wrapping_decorators
from servicelens.analysis.unreferenced_methods import (
    ClassShape,
    ClassUses,
    ModuleUses,
    family_members,
    local_names,
    module_names,
    module_uses,
    project_ancestors,
)

CLIENT = "client"  # a reach kind (analysis/reach.py): a client of the service that the service never runs
# reaches whose code is not the service's: a line there making a client does not put it in the service
_OUTSIDE = frozenset({"command", "script", "development", "dead", "unreachable"})


@dataclass(frozen=True, slots=True)
class _Reading:
    """Every reviewed file, parsed once per review as this analysis asks."""

    texts: Mapping[str, str]
    reach_kind: Callable[[str, int], str]  # the reach kind of a line (analysis/reach.ReachIndex.at)
    shapes: frozenset[tuple[str, ...]]  # the service's routes (analysis/service_client_urls.route_shapes)
    uses: ClassUses = field(init=False)
    trees: dict[str, ast.Module | None] = field(default_factory=dict)
    clients: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)  # path -> client class -> a request
    decided: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict)
    made: dict[frozenset[tuple[str, str]], list[Reference]] = field(default_factory=dict)  # family -> its places
    nodes: dict[str, tuple[dict[int, ast.AST], set[int]]] = field(default_factory=dict)  # path -> parents, harmless
    inside: dict[tuple[str, int], bool] = field(default_factory=dict)  # (path, line) -> runs in the service
    said: dict[tuple[str, str], str] = field(default_factory=dict)  # (path, class) -> where it is made, said
    anywhere: list[bool] = field(default_factory=list)  # [does any reviewed module hold a client class], once

    def __post_init__(self) -> None:
        read: dict[str, ModuleUses | None] = {}
        object.__setattr__(self, "uses", ClassUses(self.texts, lambda path: read[path] if path in read else read.setdefault(
            path, None if (tree := self.tree(path)) is None else module_uses("", wrapping_decorators(), tree))))

    def tree(self, path: str) -> ast.Module | None:
        if path not in self.trees:
            try:
                self.trees[path] = ast.parse(self.texts.get(path, ""))
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self.trees[path] = None
        return self.trees[path]

    def client_classes(self, path: str) -> dict[str, tuple[str, int]]:
        """Module-level classes of `path` requesting the service's routes, with the first request."""
        if path not in self.clients:
            # a module whose text cannot write such a request is not parsed for it (most are not)
            tree = self.tree(path) if may_request_own_routes(self.texts.get(path, "")) else None
            found = {}
            for node in tree.body if tree is not None else ():
                if isinstance(node, ast.ClassDef) and (requests := own_route_requests(node, self.shapes)):
                    found[node.name] = requests[0]
            self.clients[path] = found
        return self.clients[path]

    def any_client(self) -> bool:
        """Does any reviewed Python module hold a client class? Without one, no class is handed
        out by a client, and nothing else needs reading."""
        if not self.anywhere:
            self.anywhere.append(any(self.client_classes(path) for path in self.texts if path.endswith(".py")))
        return self.anywhere[0]


def client_places(places: Iterable[tuple[str, str]], texts: Mapping[str, str], shapes: frozenset[tuple[str, ...]],
                  reach_kind: Callable[[str, int], str]) -> dict[tuple[str, str], str]:
    """(path, qualname) of the functions findings sit in -> why the service never runs them, for
    the methods of client classes of the service (see the module's docstring). `places`: Python
    functions whose reach is unknown; `reach_kind`: the reach of a line of any reviewed file."""
    reading = _Reading(texts, reach_kind, shapes)
    found: dict[tuple[str, str], str] = {}
    for path, qualname in sorted(set(places)):
        names = caller_spelled(qualname)
        if len(names) != 2 or not path.endswith(".py") or path not in texts:
            continue
        owner, method = names
        request = reading.client_classes(path).get(owner)
        maker = _maker(reading, path, owner) if request is None and reading.any_client() else None
        if request is None and maker is None:
            continue
        run = _run_by_service(reading, path, owner)
        if run is not None and method not in run:
            found[(path, qualname)] = _evidence(reading, path, owner, method, request, maker)
    return found


def _maker(reading: _Reading, path: str, name: str) -> tuple[str, str, str] | None:
    """(client class, its method, path:line) of a place a client of the service makes an instance of
    the class `name` in `path` (`Client.get_model` returning a handle): the client hands it out, and it
    is part of what the client's importers call."""
    members = family_members(path, name, reading.uses)
    for place in _places(reading, members) if members is not None else ():
        found = _client_method(reading, place.path, place.line) if place.made else None
        if found is not None:
            return found[0], found[1], f"{place.path}:{place.line}"
    return None


def _client_method(reading: _Reading, path: str, line: int) -> tuple[str, str] | None:
    """(class, method) when `line` lies in a method of a client class of the service."""
    tree = reading.tree(path)
    for node in tree.body if tree is not None else ():
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or node.lineno) \
                and node.name in reading.client_classes(path):
            for method in node.body:
                if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                        and method.lineno <= line <= (method.end_lineno or method.lineno):
                    return node.name, method.name
    return None


def _run_by_service(reading: _Reading, path: str, name: str) -> frozenset[str] | None:
    """The names of the methods of the class `name` in `path` that the service itself may run;
    None when nothing can be concluded (then every method may run)."""
    key = (path, name)
    if key in reading.decided:
        return reading.decided[key]
    reading.decided[key] = None  # a client made by its own methods, in a cycle: nothing concluded
    result = _decide(reading, path, name)
    reading.decided[key] = result
    return result


def _decide(reading: _Reading, path: str, name: str) -> frozenset[str] | None:
    own = reading.uses.python(path)
    shape = own.classes.get(name) if own is not None else None
    lineage = project_ancestors(path, shape, reading.uses) if shape is not None else None
    members = family_members(path, name, reading.uses) if lineage is not None else None
    if lineage is None or members is None or _looked_up(reading, members):
        return None
    places = _places(reading, members)
    if not any(place.made for place in places):
        return None  # made nowhere by name: a plugin some discovery makes, perhaps in the service
    methods = {m.name for c in lineage for m in c.methods}
    run = {m.name for c in lineage for m in c.methods if m.registered}
    made = False
    for place in places:
        if not _in_service(reading, place):
            continue
        if place.calls is None:
            return None
        run |= place.calls
        made = made or place.made or place.may_make
    if made:
        run |= {m for m in methods if m.startswith("__") and m.endswith("__")}
    return frozenset(_closure(reading, lineage, run) & methods | run)


def _looked_up(reading: _Reading, members: set[tuple[str, str]]) -> bool:
    """Is a member spelled where code may look it up by name (a string in service code, any
    non-Python file: settings, an entry point)? Then anything may make it."""
    for _, name in members:
        for path, module in reading.uses.modules_spelling(name):
            if module is None or (name in module.quoted and not is_test_path(path)
                                  and reading.reach_kind(path, 1) not in _OUTSIDE):
                return True
        if any(f".{name}" in text or f":{name}" in text
               for path, text in reading.texts.items() if not path.endswith(".py") and name in text):
            return True
    return False


def _places(reading: _Reading, members: set[tuple[str, str]]) -> list[Reference]:
    """Every place a member is called or its attribute read, in every module that refers to it
    (once per review and family)."""
    key = frozenset(members)
    if key in reading.made:
        return reading.made[key]
    found = []
    for owner, name in sorted(members):
        for where, module in reading.uses.modules_spelling(name):
            tree = reading.tree(where)
            if module is None or tree is None:
                continue
            if where not in reading.nodes:
                reading.nodes[where] = (parent_map(tree), harmless_nodes(tree))
            parents, harmless = reading.nodes[where]
            found.extend(references(where, tree, name, local_names(where, module, owner, name),
                                     module_names(module, owner), parents, harmless))
    reading.made[key] = found
    return found


def _in_service(reading: _Reading, place: Reference) -> bool:
    """Does the line run in the service? A method of a client class runs there only if the service
    runs that method; any other line, unless it is test code or its reach is a command's, a
    script's, or development's."""
    key = (place.path, place.line)
    if key not in reading.inside:
        reading.inside[key] = _line_in_service(reading, *key)
    return reading.inside[key]


def _line_in_service(reading: _Reading, path: str, line: int) -> bool:
    if is_test_path(path):
        return False
    found = _client_method(reading, path, line)
    if found is not None:
        run = _run_by_service(reading, path, found[0])
        return run is None or found[1] in run
    return reading.reach_kind(path, line) not in _OUTSIDE


def _closure(reading: _Reading, lineage: list[ClassShape], run: set[str]) -> set[str]:
    """The methods the run ones spell, in the class and its project ancestors, each read in its
    own module (a base's `__init__` calling `self._warm()` runs the subclass's `_warm`), until none
    is new."""
    spans = []
    for shape in lineage:
        module = next((m for _, m in reading.uses.modules_defining(shape.name)
                       if m is not None and m.classes.get(shape.name) == shape), None)
        spans.extend((m.name, m.line, m.end, module.words) for m in shape.methods if module is not None)
    found = set(run)
    pending = list(run)
    while pending:
        caller = pending.pop()
        for _, start, end, words in (s for s in spans if s[0] == caller):
            for callee, _, _, _ in spans:
                if callee not in found and any(start <= line <= end for line in words.get(callee, ())):
                    found.add(callee)
                    pending.append(callee)
    return found


def _evidence(reading: _Reading, path: str, owner: str, method: str, request: tuple[str, int] | None,
              maker: tuple[str, str, str] | None) -> str:
    if (path, owner) not in reading.said:
        places = _places(reading, family_members(path, owner, reading.uses) or {(path, owner)})
        inside = sorted({f"{p.path}:{p.line}" for p in places if _in_service(reading, p)})
        outside = [f"{path}:{line}" for _, path, line in sorted(
            {(is_test_path(p.path), p.path, p.line) for p in places if p.made and not _in_service(reading, p)})]
        said = (f"the service's own code uses one only at {_listed(inside)}, and never runs this method there"
                if inside else "the service's own code never makes one")
        said += f"; it is made where the service does not run (commands, scripts, tests, other client code: {_listed(outside)})"
        reading.said[(path, owner)] = said
    what = (f"`{owner}` is a client of this service: it requests the service's own route `{request[0]}` at an "
            f"address its caller hands in ({path}:{request[1]})" if request is not None else
            f"`{owner}` is part of a client of this service: the client `{maker[0]}` hands one out "  # type: ignore[index]
            f"(`{maker[0]}.{maker[1]}`, {maker[2]})")  # type: ignore[index]
    return (f"{what}; {reading.said[(path, owner)]}. `{method}` runs in the process of whoever makes the client, "
            "not in the service")


def _listed(places: list[str]) -> str:
    return ", ".join(places[:3]) + (", ..." if len(places) > 3 else "")
