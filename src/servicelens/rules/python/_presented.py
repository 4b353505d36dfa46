"""Which values a caller presents: the bytes a client sent, unchanged, and the parameters of
project functions that their callers fill with them.

Not a rule (it defines no RULE). A value is *presented* when it is read from the request
(a header, cookie, query or form field, the body, a route parameter, a framework-parsed
handler parameter), through assignments and the calls that keep its content (`.get()`,
`.strip()`, `.split()[1]`, `.encode()`, a subscript or an attribute of a parsed body). A value
the server computes (a digest, a field of a record looked up by the presented key, a setting)
is not, even when the request chose which one. A parameter is presented when some call in the
project passes it a presented value or a parameter its own callers present (`presented_params`,
a fixpoint over the call sites every file records).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.python._access import REQUEST_ROOTS, client_params, flow_names, flow_origins, is_request_data
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.taint.scope import ModuleScope

# request attributes that carry what the client sent besides the data ones (_access.is_request_data)
_REQUEST_CARRIERS = frozenset({"headers", "META", "authorization", "match_info", "query", "query_string", "rel_url"})
# calls that hand back the content of their receiver (or argument), not something computed from it
_KEEPING_METHODS = frozenset({"get", "getlist", "get_all", "pop", "strip", "lstrip", "rstrip", "split", "rsplit",
                              "partition", "rpartition", "removeprefix", "removesuffix", "encode", "decode",
                              "lower", "upper", "replace"})
_KEEPING_CALLS = frozenset({"str", "bytes", "dict", "list", "tuple"})
PRESENTED = "<presented>"  # an argument state: a presented value


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call that may land in a project function, with what each argument holds: PRESENTED, the
    name of a parameter of the calling function it passes on, or "" (anything else)."""
    caller: str  # project-wide key of the calling function
    callee: str  # candidate dotted name (_project_calls.callee_name)
    offset: int  # leading parameters the call binds implicitly (1 for a bound method)
    positional: tuple[str, ...]
    keywords: tuple[tuple[str, str], ...]


def request_read(expr: ir.Expr) -> bool:
    """`request.headers`, `request.GET`, `request.get_json()`, `await request.json()`: what the client
    sent; and what a call handed the request itself reads from it (`get_authorization_header(request)`,
    `self._get_payload(request)`)."""
    if is_request_data(expr):
        return True
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Call) and any((ir.dotted_name(arg) or "") in REQUEST_ROOTS for arg in node.args):
        return True
    node = node.func if isinstance(node, ir.Call) else node
    return isinstance(node, ir.Attr) and node.attr in _REQUEST_CARRIERS \
        and (ir.dotted_name(node.value) or "") in REQUEST_ROOTS


def kept_base(expr: ir.Expr) -> ir.Expr:
    """The expression whose content `expr` hands on unchanged: `request.headers.get("X").strip()`
    -> `request.headers`, `data["token"]` -> `data`, `str(token)` -> `token`."""
    node = expr
    while True:
        if request_read(node):
            return node
        if isinstance(node, ir.Await):
            node = node.value
        elif isinstance(node, ir.Subscript):
            node = node.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _KEEPING_METHODS:
            node = node.func.value
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in _KEEPING_CALLS \
                and len(node.args) == 1:
            node = node.args[0]
        elif isinstance(node, ir.Comprehension) and node.iters:
            node = node.iters[0]  # `dict(p.split("=", 1) for p in header.split(","))`: the header's fields
        elif isinstance(node, ir.BoolOp) and node.op == "or" and node.values \
                and not isinstance(node.values[0], ir.Const):
            node = node.values[0]  # `header or ""`: the header when there is one
        else:
            return node


def presented_names(function: ir.Function, scope: ModuleScope) -> frozenset[str]:
    """Local names of `function` that hold a presented value (its route parameters included)."""
    def build() -> frozenset[str]:
        handler = scope.handlers.get(function.qualname)
        seeds = client_params(function, handler) - {"request", "req"} if handler is not None else set()
        if not seeds and not _names_request(function, scope):
            return frozenset()  # nothing seeds the flow and nothing in the body reads a request
        # a binding that computes something else from a presented value is not followed
        own = local_names(function, file_index(scope.module, scope))
        return frozenset(flow_names(function.body, set(seeds), request_read, lambda value: not _kept(value, own)))
    return scope.memo(f"presented-names:{function.qualname}", build)


def local_names(function: ir.Function, index: FileIndex | None = None) -> frozenset[str]:
    """The function's parameters and the names it binds: only these can hold what a caller sent.
    A module-level or imported name (`Report`, `models`) is not a copy of anything presented, so
    `Report.get(report_id)` is a lookup keyed by the value, not the value handed on. With the file's
    `index`, the body's statements are its laid-out slice instead of a walk."""
    stmts = index.walk_stmts(function.body) if index is not None else ir.walk_stmts(function.body)
    return frozenset(p.name for p in function.params) | ir.assigned_names(stmts)


# what a body must spell for `request_read` to hold anywhere in it: a bare root (`request`) or
# the last attribute of a dotted one (`self.request`)
_ROOT_NAMES = frozenset(root for root in REQUEST_ROOTS if "." not in root)
_ROOT_ATTRS = frozenset(root.rpartition(".")[2] for root in REQUEST_ROOTS if "." in root)


def _names_request(function: ir.Function, scope: ModuleScope) -> bool:
    """Does the body name the request object at all? `request_read` needs it, so without one
    the data-flow pass would find nothing: checked on the file index's per-kind nodes."""
    index = file_index(scope.module, scope)
    return any(n.id in _ROOT_NAMES for n in index.block_of_kind(function.body, ir.Name)) \
        or any(a.attr in _ROOT_ATTRS for a in index.block_of_kind(function.body, ir.Attr))


def _root(expr: ir.Expr) -> ir.Expr:
    """What `expr` hands on, below the fields read off it (`body.auth.token` -> `body`)."""
    base = kept_base(expr)
    while isinstance(base, ir.Attr) and not request_read(base):
        base = kept_base(base.value)  # a field of a parsed body or form holds what the client sent
    return base


def keeps_content(value: ir.Expr, local: frozenset[str] | None = None) -> bool:
    """Does binding `value` hand on the content of what it reads (`header.split(",")`,
    `token.strip()`, `body["sig"]`), rather than compute something else from it? With the
    function's `local` names, only the content of one of them (or of the request) is handed on."""
    return _kept(value, local)


def _kept(value: ir.Expr, local: frozenset[str] | None = None) -> bool:
    if isinstance(value, ir.Seq) and value.elts:  # `t, sig = parts["t"], parts["v1"]`
        return all(_kept(elt, local) for elt in value.elts)
    base = _root(value)
    if _constructor(base):
        return any(_kept(arg, local) for arg in _arguments(base))
    return request_read(base) or (isinstance(base, ir.Name) and (local is None or base.id in local))


def presented(expr: ir.Expr, names: frozenset[str]) -> bool:
    """Does `expr` hand on a presented value, read here or held by one of `names`?"""
    return _presented_root(_root(expr), names)


def _presented_root(base: ir.Expr, names: frozenset[str]) -> bool:
    """`presented` of an expression whose `_root` is `base`."""
    if _constructor(base):  # `InviteForm(request.form)`, `Payload(**body)`: the client's fields, parsed
        return any(presented(arg, names) for arg in _arguments(base))
    return request_read(base) or (isinstance(base, ir.Name) and base.id in names)


def _constructor(expr: ir.Expr) -> bool:
    """A call of a class (named in CapWords): it builds an object of the values handed to it."""
    if not isinstance(expr, ir.Call):
        return False
    name = (ir.dotted_name(expr.func) or "").rpartition(".")[2]
    return name[:1].isupper() and not name.isupper()


def _arguments(call: ir.Call) -> Iterator[ir.Expr]:
    for arg in call.args:
        yield arg.value if isinstance(arg, ir.Starred) else arg
    for keyword in call.kwargs:
        yield keyword.value


def passed_param(expr: ir.Expr, params: frozenset[str]) -> str:
    """The parameter `expr` hands on unchanged (`token`, `token.strip()`, a field `form.secret` of
    it), or ""."""
    base = _root(expr)
    return base.id if isinstance(base, ir.Name) and base.id in params else ""


def param_locals(function: ir.Function, parameters: frozenset[str], index=None) -> dict[str, str]:  # noqa: ANN001
    """Locals bound only to content one parameter handed in (`timestamp, signature =
    header.split(",")`, `parts = token.split(":")`): they hold what the callers passed, as the
    parameter does. A local two parameters feed is left out (which one it holds is not known)."""
    own = local_names(function, index)
    origins = flow_origins(function.body, {name: name for name in parameters},
                           stops=lambda value: not _kept(value, own), index=index)
    return {local: next(iter(found)) for local, found in origins.items()
            if local not in parameters and len(found) == 1}


def call_sites(module: ir.Module, scope: ModuleScope, index) -> tuple[CallSite, ...]:  # noqa: ANN001
    """Calls that pass a presented value, or a parameter of the caller (itself or a local holding
    its content: `check(parts[1])` after `parts = token.split(":")`), to a project function."""
    out = []
    for function in module.functions:
        names = presented_names(function, scope)
        params = frozenset(p.name for p in function.params if p.kind == "positional") - {"self", "cls"}
        carried: dict[str, str] | None = None

        def state(arg: ir.Expr) -> str:
            nonlocal carried
            base = _root(arg)  # what `presented` and `passed_param` each look at
            if _presented_root(base, names):
                return PRESENTED
            if not isinstance(base, ir.Name):
                return ""
            if base.id in params or not params:
                return base.id if base.id in params else ""
            if carried is None:
                carried = param_locals(function, params, index)
            return carried.get(base.id, "")
        # the callee first: it is answered once per file for every rule (the request-path view
        # asks it of every call), and most calls land in no project function, whose arguments
        # are then never traced
        for call in index.block_of_kind(function.body, ir.Call):
            if not call.args and not call.kwargs:
                continue
            callee = callee_name(call, scope, function)
            if callee is None:
                continue
            positional = tuple(state(a) if not isinstance(a, ir.Starred) else "" for a in call.args)
            keywords = tuple((k.name, state(k.value)) for k in call.kwargs if k.name)
            if any(positional) or any(s for _, s in keywords):
                out.append(CallSite(function_key(scope, function), callee[0], callee[1], positional, keywords))
    return tuple(out)


def signatures(module: ir.Module, scope: ModuleScope) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each function's key with its positional parameters' names, `self` included. A classmethod's
    first parameter is marked (`cls` -> CLASS_BOUND + name): every call binds it, whether it names
    the class (`Token.validate(raw)`) or an instance; a staticmethod's calls bind nothing implicitly,
    so its names are led by STATIC_BOUND."""
    out = []
    for f in module.functions:
        names = tuple(p.name for p in f.params if p.kind == "positional")
        binding = _binding(f) if f.class_name else ""
        if binding == CLASS_BOUND and names:
            names = (CLASS_BOUND + names[0],) + names[1:]
        elif binding == STATIC_BOUND:
            names = (STATIC_BOUND,) + names
        if names:
            out.append((function_key(scope, f), names))
    return tuple(out)


CLASS_BOUND, STATIC_BOUND = "<classmethod>", "<staticmethod>"


def _binding(function: ir.Function) -> str:
    """CLASS_BOUND for a classmethod, STATIC_BOUND for a staticmethod, "" for a plain method."""
    names = {(ir.dotted_name(d) or "").rpartition(".")[2] for d in function.decorators}
    return CLASS_BOUND if "classmethod" in names else STATIC_BOUND if "staticmethod" in names else ""


def _offset(names: tuple[str, ...], offset: int) -> int:
    """How many leading names a call's arguments skip: a classmethod's `cls` is always bound, a
    staticmethod's marker always (its calls bind nothing), a plain method's `self` as the call says."""
    if names and names[0].startswith(CLASS_BOUND):
        return max(offset, 1)
    if names and names[0] == STATIC_BOUND:
        return 1
    return offset


def presented_params(sites: Iterable[CallSite], params: Mapping[str, tuple[str, ...]]) -> frozenset[tuple[str, str]]:
    """(function key, parameter) pairs some project call fills with a presented value, directly or
    through parameters of its callers that are presented in turn."""
    index: CalleeIndex[str] = CalleeIndex((key, key) for key in params)
    edges: list[tuple[str, str, str]] = []  # (state at the call, caller key, (callee key, parameter))
    for site in sites:
        key, offset = index.reexported(site.callee), site.offset
        if key is None:  # `Manager(a, b)`: the class's `__init__`, after `self`
            key, offset = index.reexported(f"{site.callee}.__init__"), offset + 1
        if key is None:
            continue
        names = params[key]
        offset = _offset(names, offset)
        bound = [(names[i + offset], s) for i, s in enumerate(site.positional)
                 if s and i + offset < len(names)]
        bound += [(name, s) for name, s in site.keywords if s and name in names]
        edges.extend((s, site.caller, f"{key}\0{name}") for name, s in bound)
    found: set[str] = {target for s, _, target in edges if s == PRESENTED}
    changed = True
    while changed:
        changed = False
        for s, caller, target in edges:
            if s != PRESENTED and target not in found and f"{caller}\0{s}" in found:
                found.add(target)
                changed = True
    return frozenset(tuple(item.split("\0", 1)) for item in found)  # type: ignore[misc]
