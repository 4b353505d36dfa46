"""Express routes across files: full paths and auth from where their routers are mounted.

Per file (frameworks/express.py) a route knows its local path, its router and the
middleware it can see; a mount (`app.use('/api', auth, router)`) and an export
(`module.exports = router`) are edges from parent to child. Here each route climbs the
edges from its router to an `express()` application, prefixing paths and collecting the
middleware in effect at each mount, and its auth is decided:

  - a guard anywhere on the chain (by its body or the knowledge file) -> required;
  - every middleware visible and inert, and the chain reaches an application -> none;
  - otherwise unknown, saying which middleware or mount could not be seen.

A router mounted in several places yields one route per place.

Last, siblings are compared: a state-changing route that nothing on its own chain guards,
declared on a router whose other routes do require authentication, is `none` even when the
router's mount is out of sight: whatever is mounted above it did not guard its siblings either,
or they would not need their own guard.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, replace
from typing import Iterator, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.principals import GUARD, INERT, Principal
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express import EXPRESS_ROOT, FRAMEWORK, NO_CHECK_HERE
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.fastify import AUTOLOAD, HANDED, SHARED

_SCOPE_HOOKS = (SHARED, HANDED)  # refs standing for hooks another function adds to the scope
from servicelens.frameworks.hook_path_exemptions import LETS_THROUGH, UNMATCHED, exempted, unread
from servicelens.frameworks.file_operations import FOLDER, OPERATIONS, file_operations_knowledge, url_of
from servicelens.frameworks.nextjs_routes import NEXT_FRAMEWORK
from servicelens.frameworks.path_constants import filled
from servicelens.frameworks.path_helpers import resolved_paths
from servicelens.frameworks.python_handlers import RouterInclude
from servicelens.frameworks.route_options import ON, UNREAD_OPTIONS, declared_open, option_state, options_of

JS_LANGUAGES = frozenset({"javascript", "typescript"})
# frameworks whose routes sit on routers/plugins mounted by edges to an application
MOUNTED = frozenset({FRAMEWORK, "fastify", "koa", NEXT_FRAMEWORK, "trpc"})
_MAX_DEPTH = 12
_MAX_MOUNTS = 4
_MAX_ALIASES = 6
_SLOT = ".<arg"  # a function's or constructor's argument slot (frameworks/express.py argument_slot)


@dataclass(frozen=True, slots=True)
class Mount:
    """One way a router is served: the prefix above it and what the mounts add."""

    prefix: str
    guarded_line: int  # line of an authenticating mount, 0 when none
    refs: tuple[str, ...]
    # the chain ends at an application; False: at a plugin or router nothing in the review mounts
    # (a Fastify root plugin `fastify start app.js` loads), whose prefixes still make the path
    rooted: bool = True
    # the paths the authenticating mount's hook lets through (frameworks/hook_path_exemptions.py)
    exempt: tuple = ()


def with_express_mounts(facts: Sequence[FileFacts]) -> list[FileFacts]:
    facts = _with_helper_paths(facts)
    js = [fact for fact in facts if fact.language in JS_LANGUAGES]
    if not any(route.framework in MOUNTED for fact in js for route in fact.routes):
        return list(facts)
    edges = _through_star_exports([edge for fact in js for edge in fact.router_includes],
                                  {key: bases for fact in js for key, bases in fact.class_bases})
    edges += _reexported_routers(edges, js)
    edges += _autoloaded(edges, js)
    edges += _operation_folders(edges, js)
    facts = _without_unserved_operations(facts, {e.child for e in edges if e.child.startswith(OPERATIONS)})
    js = [fact for fact in facts if fact.language in JS_LANGUAGES]
    principals = {p.key: p for fact in js for p in fact.principals}
    routers = {route.router for fact in js for route in fact.routes}
    graph = _Graph(edges, principals, routers)
    mounted = _mounted_applications(graph)
    if mounted:
        edges = [e for e in edges if not (e.parent == EXPRESS_ROOT and e.child in mounted)]
        graph = _Graph(edges, principals, routers)
    resolved = {fact.rel: tuple(new for route in fact.routes for new in graph.resolve(route))
                for fact in facts if fact.language in JS_LANGUAGES and fact.routes}
    guarded = _guarded_routers(route for routes in resolved.values() for route in routes)
    return [replace(fact, routes=tuple(_against_siblings(r, guarded) for r in resolved[fact.rel]))
            if fact.rel in resolved else fact for fact in facts]


def _with_helper_paths(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Route paths written as a call of the registering class's method, filled in where the method
    (its own or a base class's) can be evaluated (frameworks/path_helpers.py)."""
    facts = _with_constant_paths(facts)
    found = resolved_paths([fact.path_helpers for fact in facts if fact.path_helpers.calls or fact.path_helpers.helpers])
    if not found:
        return list(facts)
    return [replace(fact, routes=tuple(_filled(route, {(c.owner, c.placeholder): found[(c.owner, c.placeholder)]
                                                        for c in fact.path_helpers.calls
                                                        if (c.owner, c.placeholder) in found})
                                       for route in fact.routes))
            if fact.path_helpers.calls else fact for fact in facts]


def _with_constant_paths(facts: Sequence[FileFacts]) -> list[FileFacts]:
    """Route paths naming a project constant (`{common.constants.AUTH_LOGIN_PATH}`) filled with the
    literal its module binds (frameworks/path_constants.py)."""
    if not any("{" in route.path for fact in facts for route in fact.routes):
        return list(facts)
    constants = {h.key: h.pieces[0].text for fact in facts for h in fact.path_helpers.helpers
                 if not h.defaults and len(h.pieces) == 1 and h.pieces[0].param < 0 and h.pieces[0].when < 0}
    return [replace(fact, routes=tuple(replace(r, path=filled(r.path, constants)) if "{" in r.path else r
                                       for r in fact.routes))
            if any("{" in r.path for r in fact.routes) else fact for fact in facts]


def _filled(route: RouteFact, found: dict[tuple[str, str], str]) -> RouteFact:
    """The route's placeholder filled by its own class's call (its router a member of that class),
    else by the file's one evaluation of that placeholder when its classes agree."""
    for (owner, placeholder), path in found.items():
        if placeholder in route.path and route.router.startswith(owner + "."):
            return replace(route, path=route.path.replace(placeholder, path))
    for placeholder in {p for _, p in found if p in route.path}:
        paths = {path for (_, p), path in found.items() if p == placeholder}
        if len(paths) == 1:
            return replace(route, path=route.path.replace(placeholder, paths.pop()))
    return route


_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_UNSEEN_MOUNT = "its router is not mounted on an application the review can see"


def _guarded_routers(routes: Iterator[RouteFact]) -> dict[str, str]:
    """Router -> the evidence of one of its routes that requires authentication."""
    found: dict[str, str] = {}
    for route in routes:
        if route.framework in MOUNTED and route.auth == "required":
            found.setdefault(route.router, route.auth_evidence)
    return found


def _against_siblings(route: RouteFact, guarded: dict[str, str]) -> RouteFact:
    if route.framework not in MOUNTED or route.auth != "unknown" or route.router not in guarded \
            or route.principal_refs or route.auth_evidence not in (NO_CHECK_HERE, _UNSEEN_MOUNT) \
            or not _STATE_CHANGING & set(route.methods):
        return route
    router = route.router.rsplit(".", 1)[-1]
    return replace(route, auth="none", auth_evidence=f"other routes on `{router}` require authentication "
                                                     f"({guarded[route.router]}); this one has no such middleware")


def _mounted_applications(graph: "_Graph") -> set[str]:
    """Applications (`express()`) another application mounts (`router.use('/api', auth,
    this.apiRouter.router)` where `this.router = express()`): a sub-application serves its routes
    under that mount, behind its middleware, not on its own."""
    found = set()
    for child, edges in graph.parents.items():
        if any(e.parent == EXPRESS_ROOT for e in edges) and any(
                mount.rooted for e in edges if e.parent != EXPRESS_ROOT
                for mount in graph.mounts(e.parent, 1, frozenset({child}))):
            found.add(child)
    return found


def _autoloaded(edges: list[RouterInclude], js: Sequence[FileFacts]) -> list[RouterInclude]:
    """A Fastify autoload directory registers each module below it (only `index` files where a
    folder has one), prefixed by the folders between (`_id` is `:id`), as @fastify/autoload does."""
    out: list[RouterInclude] = []
    for folder in {e.child[len(AUTOLOAD):] for e in edges if e.child.startswith(AUTOLOAD)}:
        below = [fact for fact in js if fact.rel.startswith(folder + "/")]
        indexed = {posixpath.dirname(f.rel) for f in below if posixpath.basename(f.rel).split(".")[0] == "index"}
        for fact in below:
            home = posixpath.dirname(fact.rel)
            if any(home == d or home.startswith(d + "/") for d in indexed) and home not in indexed:
                continue  # below a folder whose index file is the plugin
            if home in indexed and posixpath.basename(fact.rel).split(".")[0] != "index":
                continue
            folders = [f":{p[1:]}" if p.startswith("_") else p for p in home[len(folder):].split("/") if p]
            out.append(RouterInclude(AUTOLOAD + folder, fact.module_name, False, 0,
                                     "/" + "/".join(folders) if folders else ""))
    return out


def _operation_folders(edges: list[RouterInclude], js: Sequence[FileFacts]) -> list[RouterInclude]:
    """A directory of operation modules (frameworks/file_operations.py) serves each module below it
    that exports operations, at the module's path below the directory."""
    served = [fact for fact in js if any(r.router == OPERATIONS + fact.module_name for r in fact.routes)]
    knowledge = file_operations_knowledge()
    out: list[RouterInclude] = []
    for key in sorted({e.child for e in edges if e.child.startswith(FOLDER)}):
        folder = _located(key[len(FOLDER):].removeprefix("cwd:"), [fact.rel for fact in served])
        if folder is None:
            continue
        out.extend(RouterInclude(key, OPERATIONS + fact.module_name, False, 0,
                                 url_of(fact.rel[len(folder) + 1:], knowledge))
                   for fact in served if fact.rel.startswith(folder + "/"))
    return out


def _located(folder: str, rels: list[str]) -> str | None:
    """The directory as the review root sees it: as written, else its longest tail that holds a
    module (a directory named from the working directory, `./src/routes`, when the review's root
    is `src`; one above the root, `../routes`)."""
    parts = [p for p in folder.split("/") if p not in ("", ".", "..")]
    for start in range(len(parts)):
        tail = "/".join(parts[start:])
        if any(rel.startswith(tail + "/") for rel in rels):
            return tail
    return None


def _without_unserved_operations(facts: Sequence[FileFacts], served: set[str]) -> list[FileFacts]:
    """A module's operations are routes only where a directory or an item of `initialize()` serves
    it: one exporting `GET` that nothing mounts (a Next.js route, a helper) is not served by Express."""
    return [replace(fact, routes=tuple(r for r in fact.routes if not r.router.startswith(OPERATIONS)
                                       or r.router in served))
            if any(r.router.startswith(OPERATIONS) for r in fact.routes) else fact for fact in facts]


def _reexported_routers(edges: list[RouterInclude], js: Sequence[FileFacts]) -> list[RouterInclude]:
    """`import { billingRouter } from './route'; export { billingRouter }` in `billing/index.ts`: the
    barrel names a router another module defines, and an importer of `billing` mounts it under the
    barrel's name. A name exported as itself leaves no statement, so the barrel's imports are read:
    an alias edge for each imported router (a name a route is declared on, or something is mounted
    on) that some edge mounts under the barrel's name."""
    parents = {e.parent for e in edges}
    known = parents | {r.router for fact in js for r in fact.routes}
    mounted = {e.child for e in edges}
    out: list[RouterInclude] = []
    for fact in js:
        for target in fact.imports:
            name = target.rsplit(".", 1)[-1]
            alias = f"{fact.module_name}.{name}"
            # a default import is never re-exported as itself, and a name the module binds itself is its own
            if name != "default" and target in known and alias in mounted and alias not in parents and alias != target:
                out.append(RouterInclude(alias, target, False, 0))
    return out


def _through_star_exports(edges: list[RouterInclude], bases: dict[str, tuple[str, ...]]) -> list[RouterInclude]:
    """`import { apiRouter } from './routes'` where `routes/index.ts` says `export * from './api'`:
    `routes.apiRouter` is `routes.api.apiRouter`, an alias edge like an export's."""
    aliases = [RouterInclude(edge.child, f"{source}.{edge.child[len(barrel) + 1:]}", False, edge.line)
               for edge in edges for barrel, sources in bases.items() if edge.child.startswith(barrel + ".")
               and "." not in edge.child[len(barrel) + 1:] for source in sources]
    return edges + aliases


class _Graph:
    def __init__(self, edges: list[RouterInclude], principals: dict[str, Principal], routers: set[str]) -> None:
        self.parents: dict[str, list[RouterInclude]] = {}
        for edge in edges:
            self.parents.setdefault(edge.child, []).append(edge)
        self.children: dict[str, list[str]] = {}
        for edge in edges:
            if not edge.prefix:
                self.children.setdefault(edge.parent, []).append(edge.child)
        self.principals = principals
        # a name some route is declared on, or that serves such a name: mounted, not middleware
        self.routers = {name for router in routers for name in self._up(router)}

    def _up(self, name: str, depth: int = 0) -> Iterator[str]:
        yield name
        if depth < _MAX_DEPTH:
            for edge in self.parents.get(name, ()):
                if not edge.prefix and edge.parent != EXPRESS_ROOT:
                    yield from self._up(edge.parent, depth + 1)

    def mounts(self, router: str, depth: int = 0, seen: frozenset[str] = frozenset()) -> Iterator[Mount]:
        """Every chain from `router` up to an application."""
        if depth > _MAX_DEPTH or router in seen:
            return
        if depth and not self.parents.get(router):
            yield Mount("", 0, (), rooted=False)
            return
        for edge in self.parents.get(router, ()):
            if edge.parent == EXPRESS_ROOT:
                yield Mount("", 0, ())
                continue
            for above in self.mounts(edge.parent, depth + 1, seen | {router}):
                guarded = above.guarded_line or (edge.line if edge.authenticated else 0)
                exempt = above.exempt if above.guarded_line else edge.exempt if edge.authenticated else ()
                yield Mount(_prefixed(above.prefix, edge.prefix), guarded, above.refs + edge.dependencies, above.rooted,
                            exempt)

    def principal(self, name: str) -> Principal | None:
        """The function a name stands for, through module exports (`module.exports = { auth }`) and
        alias principals naming one function (`export default { auth }`, `const Auth = { auth }`)."""
        current, steps = name, 0
        while steps < _MAX_ALIASES:
            found = self.principals.get(current)
            if found is not None and not (found.alias and len(found.delegates) == 1):
                return found
            targets = list(found.delegates) if found is not None else self.children.get(current, [])
            if len(targets) != 1:
                return found
            current, steps = targets[0], steps + 1
        return self.principals.get(current)

    def _handed(self, refs: tuple[str, ...], depth: int = 0) -> tuple[str, ...]:
        """Each constructor-argument slot among the refs (frameworks/express.py `_handed_middleware`)
        replaced by the middleware its object's makers hand it; a slot nobody fills stays, undecided."""
        out: list[str] = []
        for ref in refs:
            handed = self.children.get(ref, []) if _SLOT in ref and depth < _MAX_ALIASES else []
            out.extend(self._handed(tuple(handed), depth + 1) if handed else (ref,))
        return tuple(dict.fromkeys(out))

    def resolve(self, route: RouteFact) -> list[RouteFact]:
        """The route once per way it is served, its auth decided. Once weighed, a Fastify plugin's
        registration (SHARED) stays among its refs as the plugin function when fastify-plugin wraps
        it and a hook of it guards (for the inventory's further checks of that function: what the
        URL names, a role), and is dropped otherwise: its hooks do not run, or check nobody, and the
        plugin function's own body (a `decorate`d member's check, say) is no check of the route."""
        if route.framework not in MOUNTED:
            return [route]
        return [replace(r, principal_refs=self._weighed(r.principal_refs), router_refs=self._weighed(r.router_refs))
                for r in self._resolved(route)]

    def _weighed(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        kept: list[str] = []
        for ref in refs:
            shared = self._shared(ref) if ref.startswith(_SCOPE_HOOKS) else None
            kept.extend(tuple(d for d in shared.delegates if not d.startswith(_SCOPE_HOOKS))
                        if shared is not None and shared.verdict == GUARD
                        else () if ref.startswith(_SCOPE_HOOKS) else (ref,))
        return tuple(dict.fromkeys(kept))

    def _shared(self, ref: str, seen: frozenset[str] = frozenset()) -> Principal | None:
        """The principal of a registered plugin fastify-plugin wraps: its own, or that of a wrapped
        plugin it registers in turn (`fp(async (f) => { f.register(sessionCheck) })`) when that one
        guards, since those hooks too run in the registering scope. None when no wrapper is seen."""
        found = self.principal(ref)
        if found is None or found.verdict == GUARD or len(seen) >= _MAX_DEPTH:
            return found
        nested = [n for d in found.delegates if d.startswith(_SCOPE_HOOKS) and d not in seen | {ref}
                  if (n := self._shared(d, seen | {ref})) is not None]
        # a guard among them guards; one the review cannot judge leaves an otherwise inert one undecided
        return next((n for n in nested if n.verdict == GUARD), None) \
            or next((n for n in nested if found.verdict == INERT and not n.verdict), found)

    def _resolved(self, route: RouteFact) -> list[RouteFact]:
        found = list(dict.fromkeys(self.mounts(route.router)))
        mounts = [m for m in found if m.rooted][:_MAX_MOUNTS]
        if not mounts:
            # not served by an application the review sees: its path as far as the mounts go
            prefixes = list(dict.fromkeys(m.prefix for m in found if m.prefix))[:_MAX_MOUNTS] or [""]
            unseen = route.auth == "unknown" and route.auth_evidence == NO_CHECK_HERE
            evidence = _UNSEEN_MOUNT if unseen else route.auth_evidence
            if route.framework == "trpc":  # tRPC: the procedure's own chain decided; the path lacks the adapter's
                evidence += "; no adapter serving its router was found: the path is the procedure path alone"
            return [replace(route, path=_join(prefix, route.path) if prefix else route.path,
                            auth_evidence=evidence) for prefix in prefixes]
        # what the mounts above the router run before it, as a Python router's dependencies
        return [replace(self._decide(route, mount), router_refs=tuple(r for r in mount.refs if r not in self.routers))
                for mount in mounts]

    def _decide(self, route: RouteFact, mount: Mount) -> RouteFact:
        path = _join(mount.prefix, route.path)
        refs = tuple(r for r in self._handed(mount.refs + route.principal_refs) if r not in self.routers)
        if route.auth == "required":
            return replace(route, path=path, principal_refs=refs)
        spared = bool(mount.guarded_line) and exempted(path, route.methods, mount.exempt)
        if mount.guarded_line and not spared:
            return replace(route, path=path, principal_refs=refs, auth="required",
                           auth_evidence=f"mounted behind an authenticating middleware (line {mount.guarded_line})")
        if spared and unread(mount.exempt):
            return replace(route, path=path, principal_refs=refs, auth="unknown",
                           auth_evidence=f"the authenticating middleware it is mounted behind (line {mount.guarded_line}) "
                           "lets through paths the review cannot read")
        undecided = []
        declared = ""
        for ref in refs:
            found = self._shared(ref) if ref.startswith(_SCOPE_HOOKS) else self.principal(ref)
            if found is None and ref.startswith(_SCOPE_HOOKS):
                continue  # a plugin fastify-plugin does not wrap: its hooks stay in its own scope
            known = _library_verdict(ref) if found is None else ""
            if known == INERT:
                continue
            if known:
                return replace(route, path=path, principal_refs=refs, auth="required", auth_evidence=known)
            state, skipped = option_state(found.option_gate, ref, options_of(route.ref_options, ref)) \
                if found is not None else (ON, "")
            if state != ON:
                declared = declared or skipped
                undecided.extend([ref] if state == UNREAD_OPTIONS else [])
                continue
            if found is not None and found.verdict == GUARD:
                return replace(route, path=path, principal_refs=refs, auth="required", auth_evidence=found.evidence)
            if found is None or found.verdict != INERT:
                undecided.append(ref)
        if declared and not undecided:  # another middleware the review cannot judge may still check
            return replace(route, path=path, principal_refs=refs, auth="public", auth_evidence=declared_open(declared))
        if undecided:
            shown = ", ".join(f"`{r.rsplit('.', 1)[-1]}`" for r in undecided[:3])
            return replace(route, path=path, principal_refs=refs, auth="unknown",
                           auth_evidence=f"middleware {shown} could not be judged (not in the review, or undecided)")
        if route.auth == "unknown" and route.auth_evidence.endswith(UNMATCHED):
            return replace(route, path=path, principal_refs=refs)  # its own guard's path test, unread: undecided
        # its procedure's chain (tRPC), or its scope's guard sparing its path (frameworks/fastify.py)
        own = route.auth in ("none", "unknown") and route.auth_evidence.endswith(LETS_THROUGH) \
            or route.auth == "none" and route.framework == "trpc" and route.auth_evidence
        evidence = route.auth_evidence if own else f"the authenticating middleware it is mounted behind (line " \
            f"{mount.guarded_line}) {LETS_THROUGH}" if spared else "no middleware on its chain checks the caller"
        return replace(route, path=path, principal_refs=refs, auth="none", auth_evidence=evidence)


def _library_verdict(ref: str) -> str:
    """A package's middleware reached through a project module that exports the package's value
    (`passport.session()` of `export default passport`: analysis/javascript_package_exports.py),
    which the per-file phase could not name: INERT when the knowledge file says it checks nobody,
    its evidence when it is a guard whatever it is called with, "" otherwise (a guard some
    arguments make pass everyone, `passport.authenticate('session')`, stays undecided: the
    arguments are not kept with the name)."""
    knowledge = middleware_knowledge()
    if knowledge.checks_nobody(ref):
        return INERT
    return knowledge.guard_evidence(ref) if ref not in knowledge.passing_strategies else ""


def _prefixed(above: str, prefix: str) -> str:
    """Mount prefixes one below another: `/` then `/api` is `/api`, not `//api`."""
    return above.rstrip("/") + prefix if prefix.startswith("/") else above + prefix


def _join(prefix: str, path: str) -> str:
    """`/users` + `/` is `/users` (Express's non-strict routing); `` + `/x` is `/x`; a tRPC router
    key (`/trpc/post.`) + `list` is `/trpc/post.list`."""
    if prefix.endswith("."):
        return prefix + path.lstrip("/")
    if not prefix:
        return path or "/"
    prefix = prefix.rstrip("/")
    return prefix if path in ("", "/") else prefix + ("" if path.startswith("/") else "/") + path
