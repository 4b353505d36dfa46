"""FastAPI dependencies whose value is the caller, or something the server derived from the caller.

    # app/security.py
    async def get_org_context(org_id: int, user: Annotated[User, Security(get_current_user)], session: ...):
        membership = await session.scalar(select(Membership).where(..., Membership.user_id == user.id))
        if membership is None:
            raise HTTPException(404)
        return OrgContext(user, membership)

    def require_role(*roles):
        async def checker(ctx: Annotated[OrgContext, Depends(get_org_context)]) -> OrgContext: ...
        return checker

    OrgMember = Annotated[OrgContext, Depends(get_org_context)]
    OrgAdmin = Annotated[OrgContext, Depends(require_role(Role.owner, Role.admin))]
    # app/routers/invoices.py
    async def get_invoice(invoice_id: int, ctx: OrgMember, repo: InvoiceRepo):
        return await repo.get_for_org(ctx.org_id, invoice_id)

`ctx` is not sent by the client and is not plumbing (a session, a repository): FastAPI fills it
with what `get_org_context` returned, a value built from the authenticated user. Whatever the
alias is called, `ctx.org_id` is the caller's tenant, as `current_user.id` is the caller's id.

A dependency is the caller's when what it returns reads one of its parameters that is itself the
caller: a parameter resolved by a dependency named for the current user or auth (the same test
`rules/python/_access.principal_params` applies to a handler), one resolved by a dependency this
module already knows is the caller's, or the request's own principal (`request.user`,
`request.state.user`). A factory returning such a dependency (`require_role(...)` returning
`checker`) counts, and so does a module-level alias whose `Depends(...)`/`Security(...)` names
either. A dependency that takes the caller but returns something else (a row it loaded by the
client's id) is not the caller's.

Like frameworks.project_types, the definitions are read before the per-file pass from the cut-out
statements of every file, resolved across modules through the imports (a few rounds, for chains
that cross files), and travel as `caller:<module>.<name>` entries.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.principals import body_guard
from servicelens.rules.python import _access as access

CALLER = "caller:"
_MARKERS = frozenset({"Depends", "Security"})
_ROUNDS = 4  # chains of dependencies across modules deeper than this are not followed


def caller_entries(modules: Iterable[tuple[str, Mapping[str, str], ir.Module]]) -> frozenset[str]:
    """`caller:<module>.<name>` for each (module name, its imports, its cut-out statements lowered)."""
    modules = list(modules)
    known: dict[str, set[str]] = {}  # last name -> qualified names
    for _round in range(_ROUNDS):
        added = False
        for module_name, imports, module in modules:
            for name in _callers_of(module, module_name, imports, known):
                qualified = f"{module_name}.{name}"
                if qualified not in known.get(name, set()):
                    known.setdefault(name, set()).add(qualified)
                    added = True
        if not added:
            break
    return frozenset(f"{CALLER}{q}" for names in known.values() for q in names)


def callers_table(entries: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Last name -> the qualified names of the caller dependencies, factories and aliases."""
    table: dict[str, list[str]] = {}
    for entry in entries:
        if entry.startswith(CALLER):
            key = entry[len(CALLER):]
            table.setdefault(key.rsplit(".", 1)[-1], []).append(key)
    return {k: tuple(v) for k, v in table.items()}


def resolves_to_caller(dotted: str, imports: Mapping[str, str], module_name: str,
                       table: Mapping[str, Iterable[str]]) -> bool:
    """`dotted`, as written in the module, names one of the table's definitions: imported from its
    module (the review may start above or inside the package: a dotted suffix either way matches),
    or defined in the module itself."""
    if not dotted or not table.get(dotted.rsplit(".", 1)[-1]):
        return False
    head, _, rest = dotted.partition(".")
    wanted = imports[head] + (f".{rest}" if rest else "") if head in imports else f"{module_name}.{dotted}"
    return any(key == wanted or key.endswith("." + wanted) or wanted.endswith("." + key)
               for key in table.get(dotted.rsplit(".", 1)[-1], ()))


def caller_params(function: ir.Function, imports: Mapping[str, str], module_name: str,
                  table: Mapping[str, Iterable[str]]) -> frozenset[str]:
    """The parameters of a path operation (or a dependency) FastAPI fills with the caller's value:
    annotated with a caller alias (`ctx: OrgMember`), or resolved by `Depends(...)`/`Security(...)`
    of a caller dependency or factory, inline or inside `Annotated[...]`."""
    if not table:
        return frozenset()
    return frozenset(p.name for p in function.params if _param_is_caller(p, imports, module_name, table))


def _param_is_caller(param: ir.Param, imports: Mapping[str, str], module_name: str,
                     table: Mapping[str, Iterable[str]]) -> bool:
    annotation = param.annotation
    if isinstance(annotation, (ir.Name, ir.Attr)) and \
            resolves_to_caller(ir.dotted_name(annotation) or "", imports, module_name, table):
        return True
    return any(resolves_to_caller(target, imports, module_name, table)
               for target in _dependency_targets(param.default, param.annotation))


def _dependency_targets(*exprs: ir.Expr | None) -> Iterator[str]:
    """The names `Depends(...)`/`Security(...)` in these expressions resolve: the dependency
    (`Depends(get_org_context)`) or the factory building it (`Depends(require_role(...))`)."""
    for expr in exprs:
        if expr is None:
            continue
        for node in ir.walk_expr(expr):
            if not isinstance(node, ir.Call) or (ir.dotted_name(node.func) or "").rsplit(".", 1)[-1] not in _MARKERS \
                    or not node.args:
                continue
            target = node.args[0]
            target = target.func if isinstance(target, ir.Call) else target
            name = ir.dotted_name(target) if isinstance(target, (ir.Name, ir.Attr)) else None
            if name:
                yield name


def _callers_of(module: ir.Module, module_name: str, imports: Mapping[str, str],
                known: Mapping[str, Iterable[str]]) -> Iterator[str]:
    """Names this module defines that are the caller's: dependencies, factories returning one, and
    module-level aliases naming either. Decided in definition order within the module, twice, so a
    function defined after the one it depends on is still seen."""
    found: dict[str, set[str]] = {name: set(keys) for name, keys in known.items()}
    functions = [f for f in module.functions if f.class_name is None]
    by_qualname = {f.qualname: f for f in functions}
    local: set[str] = set()

    def note(name: str) -> None:
        local.add(name)
        found.setdefault(name.rsplit(".", 1)[-1], set()).add(f"{module_name}.{name}")

    for _pass in range(2):
        for function in functions:
            if function.qualname in local:
                continue
            if _returns_caller(function, imports, module_name, found) or \
                    _returns_caller_dependency(function, by_qualname, local):
                note(function.qualname)
        for stmt in module.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and len(stmt.targets) == 1 \
                    and isinstance(stmt.targets[0], ir.Name) and stmt.targets[0].id not in local \
                    and any(resolves_to_caller(t, imports, module_name, found) for t in _dependency_targets(stmt.value)):
                note(stmt.targets[0].id)
    yield from (name for name in local if "<locals>" not in name)


def _returns_caller(function: ir.Function, imports: Mapping[str, str], module_name: str,
                    found: Mapping[str, Iterable[str]]) -> bool:
    """The function's returned value reads a parameter that is the caller, or the request's
    principal; or, for a dependency that refuses the request when the credential it reads fails
    (endpoints.principals.body_guard: `if key is None: raise HTTPException(401)`), what it found
    by that credential (`return key.org_id` for the API key looked up by its header)."""
    returned = [s.value for s in ir.walk_stmts(function.body) if isinstance(s, ir.Return) and s.value is not None]
    if not returned:
        return False
    seeds = {p.name for p in function.params if access.injected_principal(p)
             or _param_is_caller(p, imports, module_name, found)}

    def principal(node: ir.Expr) -> bool:
        return access.is_principal_node(node, frozenset())
    held = access.flow_names(function.body, seeds, principal)
    if any(access.reads(value, held, principal) for value in returned):
        return True
    credentials = _credential_params(function)
    carriers = {p.name for p in function.params} - credentials

    def presented(node: ir.Expr) -> bool:  # `request.headers.get("x-api-key")`, `request.cookies[...]`
        name = ir.dotted_name(node) if isinstance(node, ir.Attr) else None
        head, _, rest = (name or "").partition(".")
        return head in carriers and rest in ("headers", "cookies")
    if not credentials and not any(presented(n) for s in ir.walk_stmts(function.body)
                                   for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)):
        return False
    held = access.flow_names(function.body, credentials, presented)
    return any(access.reads(value, held, presented) for value in returned) and body_guard(function) is not None


# what FastAPI reads from the request's credential carriers into a parameter
_CREDENTIAL_MARKERS = frozenset({"Header", "Cookie", "APIKeyHeader", "APIKeyCookie", "HTTPBearer", "HTTPBasic"})


def _credential_params(function: ir.Function) -> set[str]:
    """Parameters filled from a header or cookie (`x_api_key: str = Header()`, `Annotated[str, Cookie()]`)."""
    found = set()
    for param in function.params:
        for expr in (param.default, param.annotation):
            if expr is not None and any(isinstance(n, ir.Call) and (ir.dotted_name(n.func) or "").rsplit(".", 1)[-1]
                                        in _CREDENTIAL_MARKERS for n in ir.walk_expr(expr)):
                found.add(param.name)
    return found


def _returns_caller_dependency(function: ir.Function, by_qualname: Mapping[str, ir.Function],
                               local: set[str]) -> bool:
    """A factory: `return checker`, where `checker` is a nested function already found the caller's."""
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name):
            nested = f"{function.qualname}.<locals>.{stmt.value.id}"
            if nested in by_qualname and nested in local:
                return True
    return False
