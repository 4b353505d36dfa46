"""tRPC procedures across modules: who may call each, from its builder's middleware chain.

Per module (frameworks/trpc.py) a procedure knows the builder it was made with and the
middleware it adds; a builder (`export const protectedProcedure = t.procedure.use(isAuthed)`)
is a principal whose delegates are the builder it extends and its middleware, a middleware
value (`isUser.unstable_pipe(fn)`) one whose delegates are the bodies it runs. Here each
procedure's chain is followed across modules to the middleware bodies judged where they are
written, and decided:

  - a body on the chain guards (reads the context's caller and throws otherwise) -> required,
    with its evidence (and the roles a middleware factory was handed);
  - every body on the chain is inert -> none, unless a mount-level middleware refuses, which
    frameworks/express_mounts.py decides next;
  - otherwise unknown, naming what could not be followed.

A procedure whose builder no module of the review makes, and a router edge whose factory is no
export of `t.router`, are dropped: the call only looked like tRPC's.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.trpc import BUILDER, FACTORY, FRAMEWORK, JUDGED, MIDDLEWARE
from servicelens.frameworks.trpc_resolvers import CALLED, RESOLVER

_MAX_DEPTH = 12


def with_trpc_procedures(facts: Sequence[FileFacts]) -> list[FileFacts]:
    if not any(route.framework == FRAMEWORK for fact in facts for route in fact.routes):
        return list(facts)
    principals = {p.key: p for fact in facts for p in fact.principals
                  if p.key.startswith((BUILDER, FACTORY, JUDGED, MIDDLEWARE, RESOLVER, CALLED))}
    out = []
    for fact in facts:
        routes = tuple(decided for route in fact.routes
                       if (decided := _decided(route, principals) if route.framework == FRAMEWORK else route) is not None)
        edges = tuple(replace(edge, dependencies=tuple(d for d in edge.dependencies if not d.startswith(FACTORY)))
                      for edge in fact.router_includes
                      if all(d in principals for d in edge.dependencies if d.startswith(FACTORY)))
        out.append(replace(fact, routes=routes, router_includes=edges)
                   if routes != fact.routes or edges != fact.router_includes else fact)
    return out


def _decided(route: RouteFact, principals: dict[str, Principal]) -> RouteFact | None:
    refs = [ref for ref in route.principal_refs if not ref.startswith((FACTORY, RESOLVER, CALLED))]
    own = [ref for ref in route.principal_refs if ref.startswith((RESOLVER, CALLED))]
    factories = [ref for ref in route.principal_refs if ref.startswith(FACTORY)]
    if any(f not in principals for f in factories):
        return None
    builders = [ref for ref in refs if ref.startswith(BUILDER)]
    if builders and builders[0] not in principals:
        return None  # made with something no module of the review builds procedures with
    leaves: list[str] = []
    _expand(refs, principals, leaves, 0)
    guards, unknown, kept = [], [], []
    for leaf in leaves:
        key, _, roles = leaf.partition("\0")
        found = principals.get(key)
        if found is not None and found.verdict == GUARD:
            guards.append(found.evidence + (f" (roles {roles})" if roles else ""))
        elif found is None or found.verdict != INERT:
            unknown.append(key)
        if found is None or found.verdict != INERT:
            kept.append(key)
    builder = _shown(builders[0]) if builders else "`t.procedure`"
    if len(refs) > len(builders):  # `publicProcedure.use(requireUser)`: middleware of its own too
        builder += " with its own middleware"
    note = f"{route.auth_evidence}; " if route.auth_evidence else ""
    if guards:  # the last one the chain adds is the most specific (a role after signing in)
        return replace(route, auth="required", auth_evidence=f"{note}procedure {builder}: {guards[-1]}",
                       principal_refs=tuple(dict.fromkeys(kept)))
    check = next((ref for ref in own if ref in principals and principals[ref].verdict == GUARD), "")
    if check:  # the resolver turns an anonymous caller away itself, or through a helper it hands the caller
        evidence = principals[check].evidence if check.startswith(RESOLVER) else \
            f"the resolver hands the caller to {principals[check].evidence}"
        return replace(route, auth="required", auth_evidence=f"{note}procedure {builder}: {evidence}",
                       principal_refs=tuple(dict.fromkeys(kept + [check])))
    if unknown:
        shown = ", ".join(_shown(u) for u in dict.fromkeys(unknown))
        return replace(route, auth="unknown", principal_refs=tuple(dict.fromkeys(kept)),
                       auth_evidence=f"{note}middleware {shown} of procedure {builder} could not be judged")
    return replace(route, auth="none", principal_refs=(),
                   auth_evidence=f"{note}no middleware of procedure {builder} checks the caller")


def _expand(refs: Sequence[str], principals: dict[str, Principal], out: list[str], depth: int) -> None:
    for ref in refs:
        key = ref.partition("\0")[0]
        found = principals.get(key)
        if key.startswith((BUILDER, MIDDLEWARE)) and found is not None and depth < _MAX_DEPTH:
            _expand(found.delegates, principals, out, depth + 1)
        elif key.startswith((BUILDER, MIDDLEWARE)) and found is None:
            out.append(key)
        else:
            out.append(ref)


def _shown(ref: str) -> str:
    name = ref
    for prefix in (BUILDER, MIDDLEWARE, JUDGED):
        name = name.removeprefix(prefix)
    return f"`{name.rsplit('.', 1)[-1]}`"
