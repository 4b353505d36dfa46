"""Module-level context for the engine: imports, constants, local definitions, handlers,
and the resolution of a call's name to a dotted, project-wide candidate name."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Callable, Mapping, TypeVar

from servicelens import ir
from servicelens.lang.javascript.runtime import node_core_modules
from servicelens.names import NameTable
from servicelens.taint.models import ModelIndex
from servicelens.taint.values import Value

T = TypeVar("T")
# where analysis.file_index shares the file's index with everything holding the scope (share_index)
INDEX_KEY = "file-index"
_STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
_JS_LANGUAGES = frozenset({"javascript", "typescript"})
BUILTINS = frozenset({
    "print", "len", "str", "int", "float", "bool", "list", "dict", "set", "tuple", "range",
    "enumerate", "zip", "map", "filter", "sorted", "reversed", "min", "max", "sum", "any",
    "all", "isinstance", "getattr", "setattr", "hasattr", "type", "super", "open", "repr",
    "format", "iter", "next", "abs", "round", "divmod", "hash", "id", "input", "eval", "exec",
    "compile", "vars", "dir", "globals", "locals", "callable", "chr", "ord", "bytes",
    "bytearray", "memoryview", "frozenset", "object", "property", "staticmethod", "classmethod",
    "issubclass", "hex", "oct", "bin", "pow", "slice", "__import__", "ascii", "breakpoint",
    "complex", "delattr", "help", "aiter", "anext",
})


@dataclass(frozen=True, slots=True)
class HandlerInfo:
    """A function the framework calls with client data: its parameters are sources."""

    framework: str
    source_params: tuple[tuple[str, str], ...]  # (parameter, label)
    returns_html: bool = False  # a str it returns becomes an HTML response (Flask)
    methods: tuple[str, ...] = ()  # HTTP methods, "*" when bound elsewhere
    path: str = ""
    auth: str = "unknown"  # required | none | unknown
    # client-chosen but parsed strictly by the framework (FastAPI `item_id: int`, `kind: MyEnum`):
    # still an object reference for authorization rules, never an injection payload
    typed_params: frozenset[str] = frozenset()
    # client text the router keeps in one URL segment (`<name>`, `{name}`, not `<path:name>`):
    # it cannot hold `/`, so it cannot walk a file path (frameworks.url_segments)
    segment_params: frozenset[str] = frozenset()
    # the parameter the framework passes the request in, by position (`async def trace(self, req)`
    # bound by `add_get`, `def orders(req)` bound by a URLconf); "" when only its name says so
    request_param: str = ""
    # FastAPI parameters filled with the caller or what a dependency derived from the caller
    # (`ctx: OrgMember`, frameworks.caller_dependencies): the caller's identity, like `current_user`
    caller_params: frozenset[str] = frozenset()
    # (parameter, member, label): only that member of the parameter is client data (a tRPC
    # resolver's `({ input, ctx })`: `input` is what the client sent, `ctx` the server's context)
    source_members: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ModuleScope:
    module: ir.Module
    models: ModelIndex
    imports: Mapping[str, str]  # local name -> dotted target
    functions: frozenset[str]  # qualnames defined in this module
    classes: frozenset[str]
    globals_env: Mapping[str, Value]  # module-level values (constants, tagged objects)
    handlers: Mapping[str, HandlerInfo]
    # one object per distinct name in the batch's facts (function keys, parameters, callees):
    # see servicelens.names; its own table when the caller passes none
    names: NameTable = field(default_factory=NameTable, compare=False, repr=False)
    # views of this module that several rules derive (one walk per function, shared): created
    # lazily by whoever needs them, dropped with the scope when the file is done
    derived: dict[str, object] = field(default_factory=dict, compare=False, repr=False)
    # what the application keeps in its shared state, project-wide: key -> constructor name
    # (endpoints.app_state), so `request.app["bookings"].get(...)` lands in that class's method
    app_state: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # library types project functions declare they return (taint.declared_returns), so a call of
    # `get_client("webhooks")` in any module yields an HTTP client
    declared_returns: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # what the body of each project predicate that asks about a URL's shape proves (taint.url_checks):
    # `module.qualname` -> strict | loose, so a call in another module is judged by that body
    url_checks: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # the types the project's `Annotated` aliases stand for (taint.declared_aliases), so a handler's
    # `repo: CustomerRepo` is the repository class its alias names
    declared_aliases: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # the project's own Django queryset methods returning rows (frameworks.queryset_methods), so
    # `Payout.objects.awaiting_review()` is a query in any module
    # (name -> the columns it compares with one value, ordered, ranged, the relation paths it loads)
    queryset_methods: Mapping[str, tuple[tuple[str, ...], bool, bool, tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False)
    # FastAPI dependencies of the project (`Depends(target)` names them): qualname -> the parameters
    # FastAPI fills from the request, as a path operation's (frameworks.python_handlers.dependency_sources)
    dependency_sources: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False,
                                                                          repr=False)

    # False when the JS/TS project names no document store (taint.document_stores): a receiver is
    # then not guessed a MongoDB collection by its name
    document_store: bool = field(default=True, compare=False)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        if key not in self.derived:
            self.derived[key] = build()
        return self.derived[key]  # type: ignore[return-value]

    def walk_stmts(self, body: tuple[ir.Stmt, ...]) -> tuple[ir.Stmt, ...]:
        """`tuple(ir.walk_stmts(body))`, a slice of the file's index once one is shared on the scope
        (the engine, below analysis/, asks without knowing the index)."""
        index = self.derived.get(INDEX_KEY)
        return index.walk_stmts(body) if index is not None else tuple(ir.walk_stmts(body))  # type: ignore[attr-defined]

    @property
    def name(self) -> str:
        return self.module.module_name

    def qualify(self, dotted: str, function: ir.Function | None, local_names: frozenset[str] | set[str]) -> str | None:
        """Project-wide dotted name for a Name/Attr chain, or None if it starts at a local."""
        head, _, rest = dotted.partition(".")
        if head in ("self", "cls") and function is not None and function.class_name:
            return f"{self.name}.{function.class_name}.{rest}" if rest else None
        if head in local_names:
            return None
        if function is not None:
            nested = f"{function.qualname}.<locals>.{head}"
            if nested in self.functions:
                return f"{self.name}.{nested}" + (f".{rest}" if rest else "")
        if head in self.imports:
            target = self.imports[head]
            return f"{target}.{rest}" if rest else target
        if head in self.functions or head in self.classes:
            return f"{self.name}.{dotted}"
        if head in BUILTINS:
            return dotted
        return None

    def is_project_candidate(self, qualified: str) -> bool:
        """Could this call land in a function of the reviewed project? (cheap filter: asked of
        nearly every call the engine and the rules meet, so a framework's import prefixes are
        grouped by their first name once per scope and only those sharing the call's are tried)"""
        top = qualified.split(".", 1)[0]
        if self.module.language in _JS_LANGUAGES:
            # a JS module named like a Python built-in or stdlib module (`list.js`, `email/`,
            # `queue.js`) is the project's own: only Node's core modules are the runtime's
            if top in node_core_modules():
                return False
        elif top in _STDLIB or qualified in BUILTINS:
            return False
        by_top = self.derived.get(_FRAMEWORK_PREFIXES)
        if by_top is None:
            by_top = self.derived[_FRAMEWORK_PREFIXES] = _prefixes_by_top(self.models)
        # `prefix` matches only a name equal to it or under it, whose first name is the prefix's own
        return not any(qualified.startswith(prefix + ".") or qualified == prefix
                       for prefix in by_top.get(top, ()))  # type: ignore[attr-defined]


_FRAMEWORK_PREFIXES = "framework-prefixes"


def _prefixes_by_top(models: ModelIndex) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for prefixes in models.frameworks.values():
        for prefix in prefixes:
            grouped.setdefault(prefix.split(".", 1)[0], []).append(prefix)
    return {top: tuple(found) for top, found in grouped.items()}
