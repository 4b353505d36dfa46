"""Auth of decorator-routed controllers across files (NestJS, inversify-express-utils,
routing-controllers, tsoa): which guards and middleware run before a route, and whether one
refuses its caller.

A route is guarded by the application's global guards, its controller's `@UseGuards` and its
own, and by the guards its decorators apply (`applyDecorators(UseGuards(G))`). A guard whose
body lets a caller through when some route metadata is set (`@Public()` -> `IS_PUBLIC`) does
not apply to a route declaring that metadata; one whose body lets a caller through when the
metadata is missing (`if (!roles) return true`) acts only on routes declaring it. A guard that
reads the route method's metadata alone (`reflector.get(K, ctx.getHandler())`) does not see what
the controller class declares (RouteFact.class_refs): on a class-level `@Roles` controller it
checks nothing (`unseen_class_metadata`, reported by analysis/class_metadata.py). Then:

  - a guard that applies checks a credential (by its body, or a library guard) -> required;
  - a guard was skipped because of the route's metadata, and none applies -> none: the route
    was opened on purpose, and what it does is reviewed as open (missing-authentication
    still speaks when it changes state);
  - a guard could not be judged (outside the review, or undecided) -> unknown;
  - middleware a module applies (`consumer.apply(M).forRoutes(...)`, taken for every route)
    that checks a credential -> required; one that cannot be judged -> unknown (a package's
    middleware the knowledge file lists as checking nobody is judged so);
  - no guard at all and no Nest middleware the review cannot judge -> none, unless the route method
    hands its request object to another function (which may check the caller) -> unknown.

A guard or middleware named by a container token is the class the container binds the token to;
a class the framework calls no method of its own is judged by its bases (`extends AuthMiddleware`).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.principals import GUARD, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.js_knowledge import NestKnowledge, controller_frameworks, controller_knowledges
from servicelens.frameworks.nestjs_arguments import UNDECIDED, WHEN, arguments_of, holds, split
from servicelens.frameworks.python_handlers import CHECKS_CREDENTIALS_ITSELF
from servicelens.frameworks.route_options import RefOptions
from servicelens.frameworks.nestjs import (BASE, GLOBAL, GLOBAL_PREFIX, GUARD_REF, HANDLER_ONLY, HANDS_REQUEST,
                                           METADATA, METADATA_SET, METADATA_UNSET, MIDDLEWARE)

_MAX_DEPTH = 4


def with_nest_guards(facts: Sequence[FileFacts]) -> list[FileFacts]:
    routed = controller_frameworks()
    if not any(route.framework in routed for fact in facts for route in fact.routes):
        return list(facts)
    children: dict[str, list[str]] = {}
    for fact in facts:
        for edge in fact.router_includes:
            children.setdefault(edge.parent, []).append(edge.child)
    principals = {p.key: p for fact in facts for p in fact.principals}
    decide = _Decider(children, principals, controller_knowledges())
    prefixes = {edge.prefix for fact in facts for edge in fact.router_includes if edge.parent == GLOBAL_PREFIX}
    prefix = next(iter(prefixes)) if len(prefixes) == 1 else ""  # several applications: which serves what is unknown
    return [replace(fact, routes=tuple(_prefixed(decide(r), prefix) if r.framework in routed else r
                                       for r in fact.routes))
            if any(r.framework in routed for r in fact.routes) else fact for fact in facts]


@dataclass(frozen=True, slots=True)
class UnseenClassMetadata:
    """A controller class sets metadata that a guard in effect on its routes acts on, and the guard
    reads the route method's alone: on the class's routes the guard does nothing."""

    guard: str  # project-wide name of the guard class
    key: str  # the metadata key
    line: int  # of the guard's test of it
    controller: str  # project-wide name of the controller class (the routes' router)
    routes: tuple[str, ...]  # "METHOD path" of the controller's routes the guard skips


def unseen_class_metadata(facts: Sequence[FileFacts]) -> list[tuple[str, UnseenClassMetadata]]:
    """(the guard's file, what it cannot see) for every guard that acts only where a route method
    sets a key (`if (!roles) return true` after `reflector.get(ROLES, ctx.getHandler())`) while a
    controller sets that key on its class (`@Roles('admin') @Controller('admin')`)."""
    routed = controller_frameworks()
    if not any(route.framework in routed for fact in facts for route in fact.routes):
        return []
    children: dict[str, list[str]] = {}
    for fact in facts:
        for edge in fact.router_includes:
            children.setdefault(edge.parent, []).append(edge.child)
    principals = {p.key: p for fact in facts for p in fact.principals}
    homes = {p.key: fact.rel for fact in facts for p in fact.principals}
    decide = _Decider(children, principals, controller_knowledges())
    skipped: dict[tuple[str, str, str], list[str]] = {}
    for fact in facts:
        for route in fact.routes:
            if route.framework not in routed or not route.class_refs:
                continue
            declared = decide._expanded(route.declared_refs, route.ref_options)
            own = decide._expanded(tuple(r for r in route.declared_refs if r not in set(route.class_refs)),
                                   route.ref_options)
            on_class = {d[len(METADATA):] for d in declared if d not in own and d.startswith(METADATA)}
            guards = dict.fromkeys(decide.global_guards + route.principal_refs
                                   + tuple(d[len(GUARD_REF):] for d in declared if d.startswith(GUARD_REF)))
            for guard in guards:
                found = decide._principal(guard)
                if found is None:
                    continue
                for kind, key in found.exempt_paths:
                    if kind == METADATA_UNSET + HANDLER_ONLY and key in on_class:
                        skipped.setdefault((found.key, key, route.router), []).append(
                            f"{'/'.join(route.methods)} {route.path}")
    found_all = []
    for (guard, key, controller), routes in skipped.items():
        line = next((ln for k, ln in principals[guard].metadata_tests if k == key), 0)
        found_all.append((homes[guard], UnseenClassMetadata(guard, key, line, controller, tuple(routes))))
    return found_all


def _prefixed(route: RouteFact, prefix: str) -> RouteFact:
    """A GraphQL operation's "path" is its name, never under the HTTP prefix."""
    if not prefix.strip("/") or not route.path.startswith("/"):
        return route
    return replace(route, path="/" + prefix.strip("/") + (route.path if route.path != "/" else ""))


class _Decider:
    def __init__(self, children: dict[str, list[str]], principals: dict[str, Principal],
                 knowledges: tuple[NestKnowledge, ...]) -> None:
        self.children = children
        self.principals = principals
        self.library_guards = {g: e for k in knowledges for g, e in k.library_guards.items()}
        self.rate_limit_guards = frozenset(g for k in knowledges for g in k.rate_limit_guards)
        self.global_guards = tuple(dict.fromkeys(children.get(GLOBAL, ())))
        self.middleware = tuple(dict.fromkeys(children.get(MIDDLEWARE, ())))

    def _expanded(self, refs: tuple[str, ...], options: tuple[RefOptions, ...] = ()) -> dict[str, None]:
        """The route's declarations with what each decorator function applies, transitively, in the
        order they are declared (an ordered set: the guard an evidence names is the same every run).
        A part applied under conditions on the decorator's arguments is kept when the route's arguments
        meet them; one depending on what the review cannot read leaves an UNDECIDED marker."""
        seen = dict.fromkeys(refs)
        frontier = list(seen)
        for _ in range(_MAX_DEPTH):
            found = []
            for ref in frontier:
                for child in self.children.get(ref, ()):
                    if child.startswith(WHEN):
                        conditions, inner = split(child)
                        held = holds(conditions, arguments_of(options, ref))
                        child = inner if held else UNDECIDED + ref if held is None else ""
                    if child and child not in seen:
                        found.append(child)
            frontier = list(dict.fromkeys(found))
            seen.update(dict.fromkeys(frontier))
        return seen

    def _inherited(self, router: str) -> tuple[str, ...]:
        """The middleware the controller's base classes declare, nearest first (edges from
        nestjs._class_chain); its own class's are among the route's principal_refs already."""
        found: list[str] = []
        frontier, seen = [router], {router}
        for _ in range(_MAX_DEPTH):
            frontier = [c[len(BASE):] for n in frontier for c in self.children.get(n, ())
                        if c.startswith(BASE) and c[len(BASE):] not in seen]
            seen.update(frontier)
            found.extend(c[len(GUARD_REF):] for n in frontier for c in self.children.get(n, ()) if c.startswith(GUARD_REF))
        return tuple(dict.fromkeys(found))

    def _bases(self, name: str) -> set[str]:
        """`name` and what it stands for through alias principals (a container token's class, a class
        with no method of its own's bases), transitively."""
        seen = {name}
        frontier = [name]
        for _ in range(_MAX_DEPTH):
            frontier = [d for n in frontier if (p := self.principals.get(n)) is not None and p.alias
                        for d in p.delegates if d not in seen]
            seen.update(frontier)
        return seen

    def _principal(self, name: str, depth: int = 0) -> Principal | None:
        """The judged principal `name` stands for: itself, else the class a container binds it to,
        else (a class with no method the framework calls) its bases'."""
        found = self.principals.get(name)
        if found is None or not found.alias or depth > _MAX_DEPTH:
            return found
        for target in found.delegates:
            inherited = self._principal(target, depth + 1)
            if inherited is not None and inherited.verdict:
                return inherited
        return None

    def __call__(self, route: RouteFact) -> RouteFact:
        decided = self._decided(route)
        if decided.auth != "required" and route.own_check:
            # `@Public()` skips the guards, then the method checks a shared secret itself
            return replace(decided, auth="required", auth_evidence=f"{CHECKS_CREDENTIALS_ITSELF}: {route.own_check}")
        return decided

    def _decided(self, route: RouteFact) -> RouteFact:
        if route.auth == "required":  # decided by the route's own body (it refuses every caller)
            return route
        declared = self._expanded(route.declared_refs, route.ref_options)
        unread = [d[len(UNDECIDED):] for d in declared if d.startswith(UNDECIDED)]
        if unread:
            return replace(route, auth="unknown", auth_evidence=f"decorator `{_short(unread[0])}` applies guards or "
                                                                "metadata by an argument the review cannot read")
        metadata = {d[len(METADATA):] for d in declared if d.startswith(METADATA)}
        class_only = set(route.class_refs)
        own = {d[len(METADATA):] for d in self._expanded(tuple(r for r in route.declared_refs if r not in class_only),
                                                         route.ref_options) if d.startswith(METADATA)}
        guards = list(dict.fromkeys(self.global_guards + self._inherited(route.router) + route.principal_refs
                                    + tuple(d[len(GUARD_REF):] for d in declared if d.startswith(GUARD_REF))))
        skipped: list[str] = []
        undecided: list[str] = []
        for guard in guards:
            bases = self._bases(guard)  # a project guard that only extends a library's (`extends ThrottlerGuard`)
            library = next((self.library_guards[b] for b in bases if b in self.library_guards), "")
            found = self._principal(guard)
            if found is not None and _idle(found.exempt_paths, metadata, own):
                continue  # `if (!roles) return true`: acts only on routes that set its key
            if library:
                return replace(route, auth="required", auth_evidence=library)
            if bases & self.rate_limit_guards:
                continue
            if found is None:
                undecided.append(guard)
                continue
            opened = _opening(found.exempt_paths, metadata, own)
            if opened:
                skipped.append(f"`{_short(guard)}` lets the caller through when the route sets `{_short(opened[0])}`")
            elif found.verdict == GUARD:
                # a guard standing for another (a container token's class, a subclass deferring to its base)
                shown = found.evidence if found.key == guard else f"`{_short(guard)}` is decided by " \
                                                                   f"`{_short(found.key)}`: {found.evidence}"
                return replace(route, auth="required", auth_evidence=shown)
            elif found.verdict != "inert":
                undecided.append(guard)
        for name in self.middleware:  # runs before the guards; paths are not matched, so for every route
            if middleware_knowledge().checks_nobody(name):
                continue  # a package's middleware the knowledge file knows checks nobody
            found = self._principal(name)
            if found is not None and found.verdict == GUARD:
                return replace(route, auth="required", auth_evidence=f"{found.evidence} (applied by consumer.apply)")
            if found is None or found.verdict != "inert":
                undecided.append(name)
        if undecided:
            shown = ", ".join(f"`{_short(g)}`" for g in undecided[:3])
            return replace(route, auth="unknown", auth_evidence=f"guard or middleware {shown} could not be judged")
        if skipped:
            return replace(route, auth="none", auth_evidence=f"{skipped[0]}, and this route does")
        if route.auth_evidence.startswith(HANDS_REQUEST):
            return route  # unknown: the function it hands the request to may refuse the caller
        return replace(route, auth="none", auth_evidence="no guard on the route, its controller or the application")


def _seen(kind: str, metadata: set[str], own: set[str]) -> set[str]:
    """The route's metadata a guard's read sees: the method's alone for a handler-only read."""
    return own if kind.endswith(HANDLER_ONLY) else metadata


def _opening(exempt: tuple[tuple[str, str], ...], metadata: set[str], own: set[str]) -> list[str]:
    """The keys the route sets that make the guard let it through (`@Public()`)."""
    return [key for kind, key in exempt if kind.removesuffix(HANDLER_ONLY) == METADATA_SET
            and _sets(_seen(kind, metadata, own), key)]


def _idle(exempt: tuple[tuple[str, str], ...], metadata: set[str], own: set[str]) -> bool:
    """The guard lets through every route without some key, and this route has none it sees."""
    required = [(kind, key) for kind, key in exempt if kind.removesuffix(HANDLER_ONLY) == METADATA_UNSET]
    return bool(required) and all(not _sets(_seen(kind, metadata, own), key) for kind, key in required)


def _sets(keys: set[str], key: str) -> bool:
    """The route sets `key`: the same literal, or the same constant named through its package's index
    (`decorators.IS_PUBLIC` read by the guard, `decorators.public_decorator.IS_PUBLIC` set by the
    decorator that defines it)."""
    if key in keys:
        return True
    module, _, name = key.rpartition(".")
    return bool(module) and any(other.rpartition(".")[2] == name and _nested(module, other.rpartition(".")[0])
                                for other in keys)


def _nested(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a.startswith(b + ".") or b.startswith(a + "."))


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]
