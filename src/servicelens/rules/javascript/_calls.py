"""Naming what a JavaScript/TypeScript call calls, project-wide, for the cross-file rules:

    this.repo.byId(id)      inside class Orders  -> member:app.orders.Orders.repo.byId
    dao.load(id)            const dao = new Dao() -> app.dao.Dao.load (through the import)
    meta.cols.add(c)        const meta = new Meta() -> member:app.meta.Meta.cols.add
    helper(x)               imported or local     -> its dotted name
    svc.get(id)             const svc = makeSvc(db) -> app.svc.makeSvc.get -> the function its
                            returned object holds under `get` (aliases)
    notes.get(id)           const notes = Container.get(Notes) -> app.notes.Notes.get

and what an injected member holds (`constructor(private readonly repo: OrderRepo)`), so the
project phase turns `member:` names into the held class's methods.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.model.finding import Finding
from servicelens.taint.scope import ModuleScope


def project_name(module: ir.Module, scope: ModuleScope, expr: ir.Expr) -> str:
    dotted = ir.dotted_name(expr) or ""
    head, _, rest = dotted.partition(".")
    if head in scope.imports:
        return scope.imports[head] + (f".{rest}" if rest else "")
    if dotted in scope.functions or dotted in scope.classes:
        return f"{module.module_name}.{dotted}"
    return ""


def callee(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call) -> str:
    """The project-wide name of what is called, `member:...` for a method of an injected member."""
    func = call.func
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Attr) and ir.dotted_name(func.value.value) == "self" \
            and function.class_name:
        return f"member:{module.module_name}.{function.class_name}.{func.value.attr}.{func.attr}"
    if isinstance(func, ir.Attr) and ir.dotted_name(func.value) == "self" and function.class_name:
        return f"{module.module_name}.{function.class_name}.{func.attr}"
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Call):
        made = contained(func.value) or func.value.func  # `Container.get(Notes).get(id)`, `new Notes().get(id)`
        target = project_name(module, scope, made) if isinstance(made, (ir.Name, ir.Attr)) else ""
        return f"{target}.{func.attr}" if target else ""
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Name):
        built = _built_by(module, scope, function, func.value.id)
        if built is not None:
            target = project_name(module, scope, built)
            return f"{target}.{func.attr}" if target else ""
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Attr) and isinstance(func.value.value, ir.Name):
        # `meta.columns.create(x)` with `const meta = new PostgresMeta(...)`: what the member holds
        built = _built_by(module, scope, function, func.value.value.id)
        if built is not None:
            target = project_name(module, scope, built)
            return f"member:{target}.{func.value.attr}.{func.attr}" if target else ""
    return project_name(module, scope, func)


def returned_callees(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterator[str]:
    """Project functions whose result this one returns as it is (`return this.repo.byId(id)`,
    `return await db.connection()`): what they hand back, it hands back."""
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Call):
                name = callee(module, scope, function, value)
                if name:
                    yield name


def closure(keys: set[str], hands_on: Iterator[tuple[str, str]] | tuple[tuple[str, str], ...],
            members: Mapping[str, str], aliases: Mapping[str, str], depth: int = 2) -> set[str]:
    """`keys` and the functions returning what one of them returns (`hands_on`: (function, callee
    whose result it returns)), up to `depth` calls above them."""
    pairs = tuple(hands_on)
    found = set(keys)
    for _ in range(depth):
        found |= {key for key, name in pairs if dealiased(resolved(name, members), aliases) in found}
    return found


def _built_by(module: ir.Module, scope: ModuleScope, function: ir.Function, name: str) -> ir.Expr | None:
    """`const dao = new AllocationsDAO(db)` (in the function, its enclosing ones, or the module)."""
    built = scope.memo("js-built-by", lambda: _constructions(module))
    for qualname in (f.qualname for f in module.functions if function.qualname == f.qualname
                     or function.qualname.startswith(f.qualname + ".<locals>.")):
        found = built.get(qualname, {}).get(name)
        if found is not None:
            return found
    return built.get("", {}).get(name)


def _constructions(module: ir.Module) -> dict[str, dict[str, ir.Expr]]:
    """Per function (and "" for the module body), each variable's first assignment from a call:
    the callee (`new Dao(db)` -> `Dao`). Made once per module, asked for every `x.m()` call."""
    found: dict[str, dict[str, ir.Expr]] = {}
    for qualname, body in ((f.qualname, f.body) for f in module.functions):
        found[qualname] = _first_calls(body)
    found[""] = _first_calls(module.body)
    return found


def _first_calls(body: tuple[ir.Stmt, ...]) -> dict[str, ir.Expr]:
    first: dict[str, ir.Expr] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign):
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Call) and isinstance(value.func, (ir.Name, ir.Attr)):
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        first.setdefault(target.id, contained(value) or value.func)
    return first


_CONTAINER_LOOKUPS = frozenset({"get", "resolve"})


def contained(call: ir.Call) -> ir.Expr | None:
    """The class a dependency container hands an instance of: `Container.get(NotesService)`
    (typedi), `container.resolve(NotesService)` (tsyringe), `moduleRef.get(NotesService)` (NestJS).
    A lookup by a class, not by a string or token, is what the container builds for that class."""
    if isinstance(call.func, ir.Attr) and call.func.attr in _CONTAINER_LOOKUPS and len(call.args) == 1 \
            and isinstance(call.args[0], (ir.Name, ir.Attr)):
        last = (ir.dotted_name(call.args[0]) or "").rpartition(".")[2]
        if last[:1].isupper() and not last.isupper():
            return call.args[0]
    return None


def members(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str]]:
    """`constructor(private readonly repo: InvoiceRepository)`, `this.repo = new InvoiceRepository()`,
    a member of a declared object type (`interface Deps { repo: InvoiceRepository }`, nested
    `{ controllers: { invoices: InvoiceController } }`): what a member holds, as (`holder.member`,
    class key)."""
    for shape in module.shapes:
        for path, declared in shape.members:
            held = project_name(module, scope, declared)
            if held:
                yield f"{module.module_name}.{shape.name}.{path}", held
    for function in module.functions:
        if not function.class_name or function.name != "constructor":
            continue
        typed = {p.name: project_name(module, scope, p.annotation) for p in function.params if p.annotation is not None}
        for stmt in function.body:
            if not isinstance(stmt, ir.Assign) or stmt.value is None:
                continue
            value = stmt.value
            held = typed.get(value.id, "") if isinstance(value, ir.Name) else \
                project_name(module, scope, value.func) if isinstance(value, ir.Call) else ""
            for target in stmt.targets:
                if held and isinstance(target, ir.Attr) and ir.dotted_name(target.value) == "self":
                    yield f"{module.module_name}.{function.class_name}.{target.attr}", held


def declared_member(module: ir.Module, scope: ModuleScope, name: str) -> str:
    """`orders` in `function routes(deps: Deps) { const { orders } = deps.controllers; ... }`: the
    member of a declared type it holds (`app.deps.Deps.controllers.orders`, resolved to a class
    through `members`), or the declared class itself for a parameter typed with one; ''."""
    for function in module.functions:
        typed = {p.name: project_name(module, scope, p.annotation) for p in function.params if p.annotation is not None}
        if name in typed and typed[name]:
            return typed[name]
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.Assign) or not any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets):
                continue
            dotted = ir.dotted_name(stmt.value) if stmt.value is not None else None
            head, _, rest = (dotted or "").partition(".")
            if rest and typed.get(head):
                return f"{typed[head]}.{rest}"
    return ""


def handler_key(module: ir.Module, scope: ModuleScope, qualname: str, assigned: Mapping[str, ir.Expr]) -> str:
    """The project-wide name of the function a route of this file runs: its own function, an imported
    one (`import { show } from './orders'`), a method of an object it builds (`invoices#get` where
    `const invoices = new InvoiceController(...)`), or `member:` of a declared type's member; ''.
    `assigned`: the module's `name = value` statements, by name."""
    owner, hash_, method = qualname.rpartition("#")
    if not hash_:
        imported = project_name(module, scope, ir.Name(0, 0, qualname)) if qualname in scope.imports else ""
        return imported or f"{module.module_name}.{qualname}"
    built = assigned.get(owner)
    if isinstance(built, ir.Await):
        built = built.value
    head = built.func if isinstance(built, ir.Call) else ir.Name(0, 0, owner)
    target = project_name(module, scope, head)
    if target:
        return f"{target}.{method}"
    if built is None:
        member = declared_member(module, scope, owner)  # `const { orders } = deps.controllers`
        if member:
            return f"member:{member}.{method}"
    return ""


def module_assignments(module: ir.Module) -> dict[str, ir.Expr]:
    """The module's top-level `name = value` statements, by name."""
    return {t.id: s.value for s in module.body if isinstance(s, ir.Assign) and s.value is not None
            for t in s.targets if isinstance(t, ir.Name)}


def resolved(callee: str, members: Mapping[str, str]) -> str:
    """`member:app.svc.Orders.repo.byId` -> `app.repo.OrderRepo.byId` when `repo` holds one."""
    if not callee.startswith("member:"):
        return callee
    holder, _, method = callee[len("member:"):].rpartition(".")
    held = members.get(holder)
    return f"{held}.{method}" if held else ""


def aliases(module: ir.Module) -> Iterator[tuple[str, str]]:
    """`function Dao() { this.get = (id) => ... }` is called as `Dao.get`; a module exporting one
    class or function (`module.exports = Dao`) is called by the module's name; an instance made
    at module level (`export const orders = new OrderService()`, `export default new OrderService()`)
    is called as its class; a name re-exported from another module (`export * as orders from
    './orders'`, `export { find } from './queries'`) is that module's."""
    name = module.module_name
    functions = {f.qualname for f in module.functions}
    for function in module.functions:
        if ".<locals>." in function.qualname or function.class_name:
            continue
        for key, local in _factory_members(function, functions):
            yield f"{name}.{function.qualname}.{key}", f"{name}.{local}"
        for stmt in function.body:
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name):
                for target in stmt.targets:
                    if isinstance(target, ir.Attr) and ir.dotted_name(target.value) == "self":
                        yield f"{name}.{function.qualname}.{target.attr}", \
                            f"{name}.{function.qualname}.<locals>.{stmt.value.id}"
    imported = {i.local: i.target for i in module.imports}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and \
                any(ir.dotted_name(t) in ("module.exports", "default") for t in stmt.targets):
            yield name, f"{name}.{stmt.value.id}"
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in imported \
                and stmt.value.id not in functions:
            for target in stmt.targets:  # `export * as orders from './orders'`, `export { find } from './q'`
                dotted = ir.dotted_name(target) or ""
                alias, target_key = f"{name}.{dotted[len('exports.'):]}", imported[stmt.value.id]
                # `export { default as Webhooks } from './Webhooks'` in `lib/index.ts`: `lib.Webhooks` is
                # already the module's own name
                if dotted.startswith("exports.") and dotted.count(".") == 1 and \
                        not (target_key == alias or target_key.startswith(alias + ".")):
                    yield alias, target_key
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in functions:
            for target in stmt.targets:  # `exports.show = async (req, res) => ...`
                dotted = ir.dotted_name(target) or ""
                if dotted.startswith(("exports.", "module.exports.")) and dotted.count(".") == (
                        2 if dotted.startswith("module.") else 1):
                    yield f"{name}.{dotted.rsplit('.', 1)[-1]}", f"{name}.{stmt.value.id}"
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) and isinstance(stmt.value.func, ir.Name) \
                and any(c.qualname == stmt.value.func.id for c in module.classes):
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    yield f"{name}.{target.id}", f"{name}.{stmt.value.func.id}"
                if ir.dotted_name(target) in ("module.exports", "default"):
                    yield name, f"{name}.{stmt.value.func.id}"


def exported_modules(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str]]:
    """An index module gathering other modules under keys (`const domain =
    require("./domain.queries"); module.exports = { domain }`): `queries.domain` is that module, so
    `query.domain.find(...)` calls its `find`."""
    for stmt in module.body:
        if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.DictExpr)
                and any(ir.dotted_name(t) in ("module.exports", "default") for t in stmt.targets)):
            continue
        for key, value in zip(stmt.value.keys, stmt.value.values):
            target = scope.imports.get(value.id) if isinstance(value, ir.Name) else None
            if isinstance(key, ir.Const) and isinstance(key.value, str) and target:
                yield f"{module.module_name}.{key.value}", target


def _factory_members(function: ir.Function, functions: set[str]) -> Iterator[tuple[str, str]]:
    """A factory returning an object of its own functions (`function makeOrders(db) { return {
    async get(id) {...}, cancel } }`, or such an object held in a variable first): each key and the
    local function it holds, so `const orders = makeOrders(db); orders.get(id)` calls that function."""
    objects: dict[str, ir.DictExpr] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.DictExpr):
            objects.update({t.id: stmt.value for t in stmt.targets if isinstance(t, ir.Name)})
        if not isinstance(stmt, ir.Return) or stmt.value is None:
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        returned = objects.get(value.id) if isinstance(value, ir.Name) else value
        if not isinstance(returned, ir.DictExpr):
            continue
        for key, held in zip(returned.keys, returned.values):
            local = f"{function.qualname}.<locals>.{held.id}" if isinstance(held, ir.Name) else ""
            if isinstance(key, ir.Const) and isinstance(key.value, str) and local in functions:
                yield key.value, local


def dealiased(key: str, aliases: Mapping[str, str]) -> str:
    """`dao_module.load` -> `dao_module.Dao.load` -> `dao_module.Dao.<locals>.<anon@8>`."""
    for _ in range(3):
        head, dot, last = key.rpartition(".")
        if key in aliases:
            key = aliases[key]
        elif dot and head in aliases:
            key = f"{aliases[head]}.{last}"
        else:
            break
    return key


@dataclass(frozen=True, slots=True)
class ReturnedFacts:
    """Findings that hold only if the project function they took a value from returns a kind of
    value (`pending`, with that function's project-wide name: a loaded record, a checked-out
    client), and this module's functions that return one (`sources`) or hand on another
    project function's result (`hands_on`)."""

    pending: tuple[tuple[str, Finding], ...]
    sources: tuple[str, ...]
    hands_on: tuple[tuple[str, str], ...] = ()  # (function, project callee whose result it returns)
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def returned_facts(module: ir.Module, scope: ModuleScope, pending: Iterable[tuple[str, Finding]],
                   returns: Callable[[ir.Function], bool]) -> ReturnedFacts:
    """One file's part of the join: its pending findings and which of its functions return the value."""
    return ReturnedFacts(tuple(pending),
                         tuple(f"{module.module_name}.{f.qualname}" for f in module.functions if returns(f)),
                         tuple((f"{module.module_name}.{f.qualname}", callee) for f in module.functions
                               for callee in returned_callees(module, scope, f)),
                         tuple(members(module, scope)), tuple(aliases(module)))


def confirmed(per_file: Mapping[str, object]) -> Iterator[Finding]:
    """The pending findings whose project function returns the value, itself or through the
    functions that hand its result on (a service returning its repository's lookup)."""
    facts = [f for f in per_file.values() if isinstance(f, ReturnedFacts)]
    held = {member: owner for f in facts for member, owner in f.members}
    names = {alias: key for f in facts for alias, key in f.aliases}
    sources = closure({key for f in facts for key in f.sources}, tuple(p for f in facts for p in f.hands_on),
                      held, names)
    for f in facts:
        for via, finding in f.pending:
            if dealiased(resolved(via, held), names) in sources:
                yield finding
