"""Which project function a call lands in, for rules that judge a caller by what its callee does.

Not a rule (it defines no RULE). A per-file rule records, for a call, the dotted name it can
tell (`payouts.repo.update_merchant` for `repo.update_merchant(...)` with `from .. import repo`,
`fleet.services.vehicles.VehicleService.update` for `svc.update(...)` where the parameter is
declared `svc: VehicleService`, `self.repo.save(...)` where `self.repo` is declared a
`Repo`, or `tickets.all_open()` where the module built `tickets = TicketRepository()` once at
import, the singleton service or repository Flask apps keep beside their routes, or
`VehicleService.positions.history` for `svc.positions.history(...)`, a member of such an object,
which `class_bases` files under the class the member is declared to hold), and the functions it
defines under `module.qualname`; `CalleeIndex` matches the
two project-wide (exactly, or by a unique dotted suffix when the review starts inside a
package). The same resolution the taint engine uses (taint/declared.py), so rules agree.
"""
from __future__ import annotations

from typing import Any, Callable, Generic, Iterable, Iterator, Mapping, TypeVar

from servicelens import ir
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.analysis.file_index import file_index
from servicelens.endpoints.app_state import state_class
from servicelens.taint.declared import annotation_tag, class_attribute_tags, member_classes
from servicelens.taint.scope import ModuleScope

T = TypeVar("T")


def function_key(scope: ModuleScope, function: ir.Function) -> str:
    # one object per name (servicelens.names): several rules' facts name the same function, and
    # the main process holds them all
    return scope.names(f"{scope.name}.{function.qualname}")


def callee_name(call: ir.Call, scope: ModuleScope, function: ir.Function) -> tuple[str, int] | None:
    """(dotted candidate, how many leading parameters the call binds implicitly: 1 for a bound
    method) of a call that may land in a project function; None when it cannot tell. Several
    rules ask it of the same calls, so each is answered once per file."""
    known: dict[tuple[int, int], tuple[str, int] | None] = scope.memo("callee-names", dict)
    key = (id(call), id(function))
    if key not in known:
        found = _callee_name(call, scope, function)
        # one object per name: the rules' facts of every file name the same callees
        known[key] = (scope.names(found[0]), found[1]) if found is not None else None
    return known[key]


def _callee_name(call: ir.Call, scope: ModuleScope, function: ir.Function) -> tuple[str, int] | None:
    func = call.func
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Name) and func.value.id in ("self", "cls") \
            and function.class_name:
        return f"{scope.name}.{function.class_name}.{func.attr}", 1
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Call):  # `_repo(request).get(pk)`
        built = factory_class(scope, function, func.value)
        return (f"{built}.{func.attr}", 1) if built is not None else None
    if isinstance(func, ir.Attr):
        held = _receiver_class(scope, function, func.value)
        if held is not None:
            return f"{held}.{func.attr}", 1
        if isinstance(func.value, ir.Attr) and not _is_self(func.value.value):
            # `svc.positions.history(...)`: a member of an instance of a project class, named under
            # that class (`VehicleService.positions.history`); the index files what the class declares
            # the member holds as its base (`member_classes`), and finds the method there
            owner = _receiver_class(scope, function, func.value.value)
            if owner is not None:
                return f"{owner}.{func.value.attr}.{func.attr}", 1
        if isinstance(func.value, ir.Attr) and _is_self(func.value.value):
            return None
    dotted = ir.dotted_name(func)
    if dotted is None:
        return None
    params = {p.name for p in function.params}
    if dotted.split(".", 1)[0] in params:
        return None
    qualified = scope.qualify(dotted, function, set())
    if qualified is None or not scope.is_project_candidate(qualified):
        return None
    return qualified, 0


def _is_self(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Name) and expr.id == "self"


def _receiver_class(scope: ModuleScope, function: ir.Function, receiver: ir.Expr) -> str | None:
    """The project class whose instance `receiver` is: what the application stored in its state
    (`request.app["bookings"]`), a parameter declared one (`svc: TripService`), a module-level or
    local instance (`users = UserService()`, `repo = TicketRepository(db)`), or a `self` attribute
    the class declares (`self.repo` from `repo: Repo`)."""
    built = state_class(receiver, scope.app_state)
    if built is not None:
        return built
    if isinstance(receiver, ir.Name) and receiver.id not in ("self", "cls"):
        return _declared_param(scope, function, receiver.id) or _module_instance(scope, function, receiver.id) \
            or _local_instance(scope, function, receiver.id)
    if isinstance(receiver, ir.Attr) and _is_self(receiver.value) and function.class_name:
        tag = scope.memo("declared-attributes", lambda: class_attribute_tags(scope)) \
            .get(function.class_name, {}).get(receiver.attr, "")
        return tag[6:] if tag.startswith("class:") else None
    return None


def _module_instance(scope: ModuleScope, function: ir.Function, name: str) -> str | None:
    """The one project class a module-level name was built from (`users = UserService()` at
    import), unless the function binds the name itself; the module-body analysis tagged it."""
    value = scope.globals_env.get(name)
    if value is None or any(p.name == name for p in function.params):
        return None
    classes = [tag[6:] for tag in value.tags if tag.startswith("class:")]
    if len(classes) != 1 or not classes[0].rsplit(".", 1)[-1][:1].isupper():
        return None
    bound: dict[int, set[str]] = scope.memo("assigned-names", dict)
    if id(function) not in bound:
        bound[id(function)] = ir.assigned_names(file_index(scope.module, scope).walk_stmts(function.body))
    return None if name in bound[id(function)] else classes[0]


def _local_instance(scope: ModuleScope, function: ir.Function, name: str) -> str | None:
    """The class of a local bound once, from a constructor or a factory of this module:
    `repo = TicketRepository(db)`, `repo = _repo(request)`."""
    bound: dict[int, dict[str, list[ir.Expr | None]]] = scope.memo("local-bindings", dict)
    if id(function) not in bound:
        by_name: dict[str, list[ir.Expr | None]] = {}
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign):
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        by_name.setdefault(target.id, []).append(stmt.value)
        bound[id(function)] = by_name
    values = bound[id(function)].get(name, [])
    if len(values) == 1 and values[0] is not None and state_class(values[0], scope.app_state):
        return state_class(values[0], scope.app_state)  # `repo = request.app["bookings"]`
    if len(values) != 1 or not isinstance(values[0], ir.Call):
        return None
    return factory_class(scope, function, values[0])


def factory_class(scope: ModuleScope, function: ir.Function | None, built: ir.Call) -> str | None:
    """The project class a call builds: the class itself (`TicketRepository(db)`), or a function of
    this module whose every return builds that one class (`def _repo(request): return
    Repo(request.app["db"])`, the per-module factory handlers share)."""
    name = ir.dotted_name(built.func)
    qualified = scope.qualify(name, function, set()) if name else None
    if qualified is None or not scope.is_project_candidate(qualified):
        return None
    last = qualified.rsplit(".", 1)[-1]
    if last[:1].isupper() and not last.isupper():
        return qualified
    owner, _, method = qualified.rpartition(".")
    if isinstance(built.func, ir.Attr) and _class_like(owner.rsplit(".", 1)[-1]) \
            and _alternate_constructor(scope, owner, method):
        return owner  # `OrderService.from_app(app)`: a class method that builds the class
    if name not in scope.functions:
        return None
    returns: dict[str, str | None] = scope.memo("factory-classes", dict)
    if name not in returns:
        returns[name] = _built_by(scope, name)
    return returns[name]


def _class_like(name: str) -> bool:
    return name[:1].isupper() and not name.isupper()


def _alternate_constructor(scope: ModuleScope, owner: str, method: str) -> bool:
    """`Class.method(...)` called on the class builds an instance of it (`from_app`, `from_settings`,
    `create`, an ORM class's lookup): a class method of a class this module defines must return
    `cls(...)` or the class on every path; one defined in another module cannot be read from here
    and is taken to. Either way the result only names where its methods are looked up."""
    if owner != f"{scope.name}.{owner.rsplit('.', 1)[-1]}":
        return True
    class_name = owner.rsplit(".", 1)[-1]
    factory = next((f for f in scope.module.functions if f.qualname == f"{class_name}.{method}"), None)
    if factory is None or not any(ir.dotted_name(d) in ("classmethod", "staticmethod") for d in factory.decorators):
        return False
    returns = [stmt.value for stmt in ir.walk_stmts(factory.body) if isinstance(stmt, ir.Return)]
    return bool(returns) and all(isinstance(v, ir.Call) and ir.dotted_name(v.func) in ("cls", class_name)
                                 for v in returns)


def _built_by(scope: ModuleScope, qualname: str) -> str | None:
    factory = next((f for f in scope.module.functions if f.qualname == qualname), None)
    if factory is None:
        return None
    classes = set()
    for stmt in ir.walk_stmts(factory.body):
        if isinstance(stmt, ir.Return):
            value = stmt.value
            if not isinstance(value, ir.Call) or not isinstance(value.func, (ir.Name, ir.Attr)):
                return None
            qualified = scope.qualify(ir.dotted_name(value.func) or "", factory, set())
            last = (qualified or "").rsplit(".", 1)[-1]
            if not last[:1].isupper() or last.isupper():
                return None
            classes.add(qualified)
    return classes.pop() if len(classes) == 1 else None


def class_bases(module: ir.Module, scope: ModuleScope) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each class's bases as project-wide dotted names, a generic base by its class
    (`Repository[User]` -> `Repository`), and each module-level instance's class, for `CalleeIndex`
    to find inherited methods."""
    out = []
    for cls in module.classes:
        bases = []
        for base in cls.bases:
            dotted = ir.dotted_name(base.value if isinstance(base, ir.Subscript) else base)
            if dotted:
                bases.append(scope.qualify(dotted, None, set()) or dotted)
        if bases:
            out.append((scope.names(f"{scope.name}.{cls.qualname}"), tuple(bases)))
    # a module-level instance (`patients = PatientService()`) answers its class's methods wherever it is
    # imported (`from app.services.patients import patients; patients.apply(...)`): recorded like a
    # class whose one base is the class it was built from
    for name, value in scope.globals_env.items():
        classes = [tag[6:] for tag in value.tags if tag.startswith("class:")]
        if len(classes) == 1 and classes[0].rsplit(".", 1)[-1][:1].isupper() and not name[:1].isupper():
            out.append((scope.names(f"{scope.name}.{name}"), (classes[0],)))
    out.extend(_annotated_aliases(module, scope))
    # a member a class declares to hold a project class (`self.positions = positions` from
    # `positions: PositionRepository`), recorded like a class whose one base is that class, so
    # `VehicleService.positions.history` (see `_callee_name`) is found on `PositionRepository`
    out.extend((scope.names(member), (held,)) for member, held in member_classes(scope))
    return tuple(out)


def _annotated_aliases(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, tuple[str, ...]]]:
    """A module-level type alias of a project class (`Billing = Annotated[BillingService,
    Depends(get_billing)]`, the FastAPI way to inject a service), recorded like a class whose one
    base is the aliased class: a parameter declared `billing: Billing` in another module calls
    `BillingService`'s methods."""
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) \
                or not isinstance(stmt.value, ir.Subscript) \
                or (ir.dotted_name(stmt.value.value) or "").rsplit(".", 1)[-1] != "Annotated":
            continue
        index = stmt.value.index
        first = index.elts[0] if isinstance(index, ir.Seq) and index.elts else index
        dotted = ir.dotted_name(first) if isinstance(first, (ir.Name, ir.Attr)) else None
        qualified = scope.qualify(dotted, None, set()) if dotted else None
        last = (qualified or "").rsplit(".", 1)[-1]
        if qualified and last[:1].isupper() and not last.isupper() and scope.is_project_candidate(qualified):
            yield scope.names(f"{scope.name}.{stmt.targets[0].id}"), (qualified,)


def _declared_param(scope: ModuleScope, function: ir.Function, name: str) -> str | None:
    for param in function.params:
        if param.name == name:
            tag = annotation_tag(scope, param.annotation)
            return tag[6:] if tag and tag.startswith("class:") else None
    return None


class CalleeIndex(Generic[T]):
    """Project functions by key (`module.qualname`), looked up by a call's candidate name."""

    def __init__(self, entries: Iterable[tuple[str, T]],
                 bases: Mapping[str, tuple[str, ...]] | None = None) -> None:
        """`bases` (class key -> its bases, project-wide, see `class_bases`): a method a class only
        inherits (`UserRepository(session).update`, defined on the generic `Repository`) is found
        on the nearest ancestor that defines it."""
        # a base that has no bases itself is still a class the walk must reach
        self._hierarchy = ClassHierarchy.of(bases, (b for each in bases.values() for b in each)) if bases else None
        self._by_key: dict[str, T] = {}
        for key, value in entries:
            self._by_key.setdefault(key, value)
        # a dotted suffix of a key ends in the key's last name: keys grouped by it are all a suffix
        # lookup needs (every suffix of every key, with the set of keys sharing it, cost ~10 MB on
        # saleor's 7,800 functions at the memory peak of the review)
        self._by_last: dict[str, list[str]] = {}
        for key in self._by_key:
            self._by_last.setdefault(key.rpartition(".")[2], []).append(key)
        self._by_suffix: dict[str, str | None] = {}  # memo of _unique_suffix
        self._reexported: dict[str, str | None] = {}  # memo of reexported
        # memo of _inherited: the cross-file rules ask the same unresolved callees again and again,
        # each an ancestor walk (saleor: ~0.4 CPU s of the serial project phase before it)
        self._inherits: dict[str, str | None] = {}

    def key_of(self, candidate: str) -> str | None:
        """The key of the function `candidate` names: exact, one of the project's keys ending in it
        (the reviewed directory is inside the package), or it ending in one of them (`app.x.f`
        when the review starts at the package `app`)."""
        if candidate in self._by_key:
            return candidate
        found = self._by_suffix[candidate] if candidate in self._by_suffix else self._unique_suffix(candidate)
        if found is not None:
            return found
        parts = candidate.split(".")
        for i in range(1, len(parts) - 1):
            tail = ".".join(parts[i:])
            if tail in self._by_key:
                return tail
        return self._inherited(candidate)

    def _inherited(self, candidate: str) -> str | None:
        """`pkg.UserRepository.update` -> `pkg.base.Repository.update` when the class inherits it;
        `pkg.services.patients.apply` -> `pkg.services.base.CrudService.apply` for a module instance."""
        if candidate in self._inherits:
            return self._inherits[candidate]
        found = self._inherits[candidate] = self._ancestor_defining(candidate)
        return found

    def _ancestor_defining(self, candidate: str) -> str | None:
        owner, _, method = candidate.rpartition(".")
        if self._hierarchy is None or not owner:
            return None
        for ancestor, depth in self._hierarchy.ancestors(owner):
            if depth:
                found = self.key_of_defined(f"{ancestor}.{method}")
                if found is not None:
                    return found
        return None

    def reexported(self, candidate: str) -> str | None:
        """The key of a function a package re-exports (`from .plugin_token import PluginToken` in
        `models/__init__.py`): `pkg.Class.method` named where it is defined, `pkg.mod.Class.method`,
        when exactly one module of the package defines it."""
        direct = self.key_of(candidate)
        if direct is not None:
            return direct
        if candidate not in self._reexported:
            parts = candidate.split(".")
            depth = candidate.count(".") + 1
            found = {key for key in self._by_last.get(parts[-1], ()) if key.count(".") == depth
                     and any(key.startswith(".".join(parts[:split]) + ".") and key.endswith("." + ".".join(parts[split:]))
                             for split in range(1, len(parts)))}
            self._reexported[candidate] = next(iter(found)) if len(found) == 1 else None
        return self._reexported[candidate]

    def through_instance(self, candidate: str) -> bool:
        """`patients.apply` found through the module instance `patients`: a bound method, though
        the call site could not tell (its first parameter, `self`, is bound implicitly)."""
        owner = candidate.rpartition(".")[0]
        return bool(owner) and owner.rsplit(".", 1)[-1][:1].islower() and self._hierarchy is not None \
            and self.key_of_defined(candidate) is None and self._inherited(candidate) is not None

    def key_of_defined(self, candidate: str) -> str | None:
        """`key_of` without following inheritance (the ancestor walk asks it of each base)."""
        if candidate in self._by_key:
            return candidate
        return self._by_suffix[candidate] if candidate in self._by_suffix else self._unique_suffix(candidate)

    def _unique_suffix(self, candidate: str) -> str | None:
        """The one key `candidate` is a proper dotted suffix of, if exactly one is."""
        tail = "." + candidate
        found = [key for key in self._by_last.get(candidate.rpartition(".")[2], ()) if key.endswith(tail)]
        self._by_suffix[candidate] = found[0] if len(found) == 1 else None
        return self._by_suffix[candidate]

    def get(self, candidate: str) -> T | None:
        key = self.key_of(candidate)
        return self._by_key[key] if key is not None else None

    @property
    def entries(self) -> Mapping[str, T]:
        return self._by_key


C = TypeVar("C")


def calls_into(calls: Iterable[C], index: CalleeIndex[T], skip: Callable[[C, T], bool]) -> Iterator[tuple[C, T]]:
    """Each recorded call site (its `callee`, `path`, `line`) with the project function `index` resolves
    it to, once per site, less the pairs `skip` rejects: the join the cross-module rules make in
    `combine` (a blocking helper awaited from async code, a querying helper called in a loop)."""
    seen: set[tuple[Any, Any]] = set()
    for call in calls:
        target = index.get(call.callee)  # type: ignore[attr-defined]
        site = (call.path, call.line)  # type: ignore[attr-defined]
        if target is None or site in seen or skip(call, target):
            continue
        seen.add(site)
        yield call, target
