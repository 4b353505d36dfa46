"""What a rule is: metadata plus a pure check over one lowered module."""
from __future__ import annotations

import importlib
from functools import lru_cache
import pkgutil
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, TypeVar

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.analysis.needs import Needs
from servicelens.analysis.node_dispatch import Site, sites
from servicelens.config.settings import Settings
from servicelens.model.finding import Finding
from servicelens.model.report import OpenQuestion
from servicelens.taint.scope import ModuleScope

Check = Callable[[ir.Module, ModuleScope], Iterable[Finding]]
Collect = Callable[[ir.Module, ModuleScope], object]
# the second, demand-driven pass (analysis/revisit.py): one file's facts for some of its functions
Revisit = Callable[[ir.Module, ModuleScope, frozenset[str]], object]
# {relative path: function qualnames} -> {relative path: what `revisit` answered for them}
Ask = Callable[[Mapping[str, frozenset[str]]], Mapping[str, object]]
Combine = Callable[[Mapping[str, object], Settings], Iterable["Finding | OpenQuestion"]] \
    | Callable[[Mapping[str, object], Settings, Ask], Iterable["Finding | OpenQuestion"]]  # the latter with `revisit`
F = TypeVar("F")


@dataclass(frozen=True, slots=True)
class Rule:
    """`concerns`: the taxonomy ids this rule may report (used by --select to skip it).
    The module docstring is the rule's documentation: What it finds / Why it matters /
    Example / Fix / Known problems.

    Cross-file rules add `collect` (per file, in the worker: small picklable facts, cached
    with the file) and `combine` (once per review: {relative path: collected facts} ->
    findings). `check` may then yield nothing. `collect` returns None for a file with nothing
    to contribute (see `contribution`): such a file has no entry in `combine`'s mapping.

    Facts that are costly and matter for few functions (those on a chain from an entry point to
    an effect, known only once every file is read) are asked on demand instead: `revisit(module,
    scope, qualnames)` answers for those functions of one file, and such a rule's `combine` takes
    a third argument, `ask({path: qualnames}) -> {path: answer}`, which runs `revisit` over
    just those files, lowered again exactly as in the first pass."""

    id: str  # e.g. "py-weak-hash"
    concerns: frozenset[str]
    language: str
    check: Check
    doc: str = ""
    collect: Collect | None = None
    combine: Combine | None = None
    # prefilter: the rule runs only on files whose text contains one of these (lower-case)
    # words; a cheap substring test spares the IR walk on the many files that cannot match
    requires: tuple[str, ...] = ()
    revisit: Revisit | None = None
    # dispatch by name (analysis.needs): the callee, attribute, keyword and bare names the rule
    # can fire on; a file holding none of them is skipped, as by `requires` (and the rule hands
    # its per-body work to `FileIndex.bodies_holding` with the same or narrower declarations)
    needs: Needs | None = None
    # `combine` also takes `paths=`, the review's one view of the functions requests reach and the
    # guards held on the way (analysis/request_paths.py), to judge code below the handler
    paths: bool = False
    # `combine` also takes `documents=`, {relative path: text} of the review's files of these
    # kinds (sources/languages.py): schemas declared outside code, such as a Prisma schema
    documents: frozenset[str] = frozenset()

    def applies_to(self, lower_text: str) -> bool:
        return not self.requires or any(word in lower_text for word in self.requires)


@dataclass(frozen=True, slots=True)
class Inspects:
    """A rule's entry point (`check` or `collect`) stated once with the IR node kinds it
    inspects: dispatch by kind. The file index groups every expression and statement by kind
    in its one traversal, so a file without any of `kinds` is answered `empty` without running
    the entry point (a check: no findings; a collect: None, nothing to contribute). Kinds are IR
    types, so the declaration serves any language lowered to the IR; inside, a rule hands its
    per-body work only to the bodies that hold them (`FileIndex.bodies_with`).

    `RULE = Rule(..., check=Inspects((ir.Compare,), check))`: the rule must report nothing on
    a file without the kinds (tests/rules/test_inspects.py runs every fixture both ways)."""

    kinds: tuple[type, ...]
    run: Callable[[ir.Module, ModuleScope], object]
    empty: object = ()

    def __call__(self, module: ir.Module, scope: ModuleScope):  # noqa: ANN204 - what `run` returns
        index = file_index(module, scope)
        if any(index.has(kind) for kind in self.kinds):
            return self.run(module, scope)
        return self.empty


@dataclass(frozen=True, slots=True)
class OnNodes:
    """A rule's entry point (`check` or `collect`) handed the nodes it inspects instead of walking
    the module: `run(module, scope, sites)` gets every node of `kinds` in walk order, each with
    the statement and function it sits in (`analysis.node_dispatch`), laid out once per file and
    shared by every rule asking the same kinds. A file without any of the kinds is answered
    `empty` without running it, as `Inspects` does.

    `RULE = Rule(..., check=OnNodes((ir.Assign, ir.Call), check_sites))`: the rule's logic per
    node is unchanged; only where its nodes come from."""

    kinds: tuple[type, ...]
    run: Callable[[ir.Module, ModuleScope, tuple[Site, ...]], object]
    empty: object = ()

    def __call__(self, module: ir.Module, scope: ModuleScope):  # noqa: ANN204 - what `run` returns
        found = sites(file_index(module, scope), self.kinds)
        return self.run(module, scope, found) if found else self.empty


@lru_cache(maxsize=4)
def discover_rules(package: str) -> tuple[Rule, ...]:
    """Every `RULE` in the modules of `package`, sorted by id; a duplicate id is an error."""
    module = importlib.import_module(package)
    rules: dict[str, Rule] = {}
    for info in sorted(pkgutil.iter_modules(module.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{package}.{info.name}")
        rule = getattr(loaded, "RULE", None)
        if not isinstance(rule, Rule):
            continue
        if rule.id in rules:
            raise ValueError(f"duplicate rule id {rule.id} in {package}.{info.name}")
        rules[rule.id] = replace(rule, doc=loaded.__doc__ or "")
    return tuple(rules[k] for k in sorted(rules))


def iter_calls(function_body: tuple[ir.Stmt, ...]) -> Iterable[ir.Call]:
    """Every call expression in a block (nested defs excluded: they are functions of their own)."""
    for stmt in ir.walk_stmts(function_body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    yield node


def all_bodies(module: ir.Module) -> Iterable[tuple[ir.Function | None, tuple[ir.Stmt, ...]]]:
    """The module body and every function body, each once."""
    yield None, module.body
    for function in module.functions:
        yield function, function.body
    for cls in module.classes:
        yield None, cls.body


def contribution(facts: F, nothing: F) -> F | None:
    """What `collect` hands on: None when `facts` equal `nothing`, the facts of a file that adds
    nothing to `combine` (most files, for most rules). The main process holds every file's
    entries until the project phase; on saleor the empty ones were ~6 MB of its peak."""
    return None if facts == nothing else facts


def no_findings(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    """`check` of a rule that only reports from `combine`."""
    return ()
