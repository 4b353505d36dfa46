"""Names of JS/TS facts that use a tsconfig path alias, renamed to the modules they land on.

The per-file phase cannot know the project's tsconfig (lang/javascript/aliases.py), so an aliased
import (`@/controllers/users`) is named by its specifier in every fact that mentions it: the calls
of the summaries, the classes their results are instances of, mount and export edges, middleware
references of routes, imports. Once the whole review is known they are renamed, before routes and
reach are worked out project-wide; nothing changes in a project without aliases. The same renaming
then follows barrels (`export *`) to the module defining a name, and a package's value a project
module exports (`export default passport`) to the package (analysis/javascript_package_exports.py).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.principals import Principal
from servicelens.frameworks.fastify import HANDED, SHARED
from servicelens.frameworks.nestjs import GUARD_REF
from servicelens.frameworks.nestjs_arguments import WHEN, conditioned, split
from servicelens.frameworks.trpc import BUILDER, FACTORY, MIDDLEWARE
from servicelens.frameworks.trpc_resolvers import CALLED
from servicelens.analysis.javascript_package_exports import package_renames
from servicelens.lang.javascript.aliases import alias_table, module_paths
from servicelens.taint.summary import FunctionSummary

_JS = frozenset({"javascript", "typescript"})
Rename = Callable[[str], str]


def with_path_aliases(facts: Sequence[FileFacts], configs: Iterable[tuple[str, str]]) -> list[FileFacts]:
    """Aliased names renamed to their modules, then names reached through a barrel's `export *`
    renamed to the module that defines them, then names of a package's value a project module
    exports renamed to the package's."""
    if not any(fact.language in _JS for fact in facts):
        return list(facts)
    table = alias_table(configs)
    if table.aliases:
        modules = module_paths(fact.rel for fact in facts if fact.language in _JS)
        aliased: dict[str, str] = {}

        def rename(name: str) -> str:
            if name not in aliased:
                aliased[name] = table.resolve(name, modules) or name
            return aliased[name]

        facts = [_renamed(fact, rename) if fact.language in _JS else fact for fact in facts]
    return _through_package_exports(_through_barrels(facts))


def _through_package_exports(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """`import passport from './auth/passport.js'` where that module says `export default passport`
    of the package: `auth.passport.default.session` is `passport.session`
    (analysis/javascript_package_exports.py)."""
    js = [fact for fact in facts if fact.language in _JS]
    rename = package_renames((pair for fact in js for pair in fact.package_exports), [f.module_name for f in js],
                             (s.key for fact in js for s in fact.summaries))
    if rename is None:
        return list(facts)
    return [_renamed(fact, rename) if fact.language in _JS else fact for fact in facts]


def _through_barrels(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """`import { reports } from './services'` where `services/index.ts` says `export * from
    './reports.service'`: `services.reports.find` is `services.reports_service.reports.find`; where
    it says `export * as reports from './reports.service'`, `services.reports.find` is
    `services.reports_service.find`.
    A name the barrel defines itself stays its own."""
    barrels = {key: bases for fact in facts if fact.language in _JS for key, bases in fact.class_bases
               if key == fact.module_name or key.startswith(fact.module_name + ".")}
    if not barrels:
        return list(facts)
    # what modules define: their functions, and the plugins fastify-plugin wraps (`export const auth =
    # fp(plugin)`, no function of its own; frameworks/fastify.py SHARED; HANDED keys name functions)
    defined = [s.key for fact in facts if fact.language in _JS for s in fact.summaries] + \
        [p.key[len(SHARED):] for fact in facts if fact.language in _JS for p in fact.principals if p.key.startswith(SHARED)]
    heads = {".".join(key.split(".")[:n]) for key in defined for n in range(1, key.count(".") + 2)}
    renamed: dict[str, str] = {}

    def rename(name: str) -> str:
        if name not in renamed:
            renamed[name] = _via_barrel(name, barrels, heads)
        return renamed[name]

    return [_renamed(fact, rename) if fact.language in _JS else fact for fact in facts]


def _via_barrel(name: str, barrels: dict[str, tuple[str, ...]], heads: set[str], depth: int = 0) -> str:
    # the innermost barrel first: `http/index.ts` re-exporting `./plugins` must not claim
    # `http.plugins.auth` as its own before `http/plugins/index.ts` is asked
    for barrel, sources in sorted(barrels.items(), key=lambda item: -len(item[0])):
        if not name.startswith(barrel + ".") or depth > 3:
            continue
        member = name[len(barrel) + 1:].split(".", 1)[0]
        if f"{barrel}.{member}" in heads:
            return name  # the barrel's own
        for source in sources:
            if f"{source}.{member}" in heads or source + "." + member in barrels:
                return _via_barrel(source + name[len(barrel):], barrels, heads, depth + 1)
    return name


def _renamed(fact: FileFacts, rename: Rename) -> FileFacts:
    return replace(
        fact,
        imports=tuple(rename(i) for i in fact.imports),
        summaries=tuple(_summary(s, rename) for s in fact.summaries),
        router_includes=tuple(replace(e, parent=_marked(e.parent, rename), child=_marked(e.child, rename),
                                      dependencies=tuple(_marked(d, rename) for d in e.dependencies))
                              for e in fact.router_includes),
        routes=tuple(replace(r, principal_refs=tuple(_marked(p, rename) for p in r.principal_refs),
                             declared_refs=tuple(rename(d) for d in r.declared_refs),
                             class_refs=tuple(rename(d) for d in r.class_refs),
                             ref_options=tuple(replace(o, ref=rename(o.ref)) for o in r.ref_options))
                      for r in fact.routes),
        class_bases=tuple((key, tuple(rename(b) for b in bases)) for key, bases in fact.class_bases),
        principals=tuple(_principal(p, rename) for p in fact.principals),
        path_helpers=replace(fact.path_helpers, bases=tuple((key, tuple(rename(b) for b in bases))
                                                            for key, bases in fact.path_helpers.bases)),
    )


def _principal(principal: Principal, rename: Rename) -> Principal:
    """An alias principal's delegates (a container token's class, a subclass's bases: frameworks/nestjs.py)
    and the plugins a Fastify plugin registers (SHARED) are imported names; other delegates are the
    module's own functions."""
    if principal.alias:
        return replace(principal, delegates=tuple(rename(d) for d in principal.delegates))
    if any(d.startswith(_MARKED_DELEGATES) for d in principal.delegates):
        # a tRPC builder's base and middleware (`procedure.use(isAuthenticated)`, both imported)
        return replace(principal, delegates=tuple(_marked(d, rename) if d.startswith(_MARKED_DELEGATES) else d
                                                  for d in principal.delegates))
    return principal


# delegates naming another module's value behind a marker: a Fastify plugin a scope registers, a
# tRPC builder a procedure extends, a middleware it uses, the router factory an edge was made with
_MARKED_DELEGATES = (SHARED, HANDED, BUILDER, MIDDLEWARE, FACTORY)


def _marked(name: str, rename: Rename) -> str:
    """A name behind a marker: a guard a NestJS decorator applies (`nestjs-guard:<name>`), possibly
    under conditions on its arguments, or a Fastify plugin a scope registers (`fastify-shared:<name>`)."""
    if name.startswith(WHEN):  # a part a decorator applies under its arguments (frameworks/nestjs_arguments.py)
        conditions, inner = split(name)
        return conditioned(_marked(inner, rename), conditions)
    # a Fastify plugin a scope registers (frameworks/fastify.py); a helper a tRPC resolver hands the caller
    for marker in (GUARD_REF, CALLED) + _MARKED_DELEGATES:
        if name.startswith(marker):
            return marker + rename(name[len(marker):])
    return rename(name)


def _summary(summary: FunctionSummary, rename: Rename) -> FunctionSummary:
    calls = tuple(replace(c, callee=rename(c.callee)) for c in summary.calls)
    returns_class = rename(summary.returns_class) if summary.returns_class else ""
    if calls == summary.calls and returns_class == summary.returns_class:
        return summary
    return replace(summary, calls=calls, returns_class=returns_class)
