"""What a web framework calls in one module, by its documented contract (data/framework_calls.yaml).

The call graph holds calls the project writes. A framework also calls project code the project
only hands to it: a Flask `@app.errorhandler(404)` function and a FastAPI `@app.middleware("http")`
run in every request; a `ModelSerializer` named by `serializer_class` has its `validate_<field>`
and `create` called by REST framework; a `@receiver(post_save, sender=Order)` function runs
wherever an Order is saved; a `ModelAdmin` registered with the admin site serves staff. This
module records, per file, what is handed over and how; analysis/framework_reach.py joins it
project-wide into call-graph edges and roots for analysis/reach.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, unindexed
from servicelens.rules.base import all_bodies
from servicelens.packaged_yaml import packaged_yaml


@dataclass(frozen=True, slots=True)
class Family:
    """Project subclasses of `bases` are driven by the framework through these methods."""

    name: str
    bases: frozenset[str]
    hooks: frozenset[str]
    prefixes: tuple[str, ...]
    all_methods: bool
    saves_model: bool

    def calls(self, method: str) -> bool:
        return self.all_methods or method in self.hooks or method.startswith(self.prefixes)


@dataclass(frozen=True, slots=True)
class Knowledge:
    families: tuple[Family, ...]
    admin_registrations: frozenset[str]
    hook_decorators: frozenset[str]
    hook_calls: Mapping[str, int]  # registration method -> position of the function
    hook_keywords: frozenset[str]
    hook_wrappers: frozenset[str]
    hook_lists: frozenset[str]
    class_hooks: tuple[str, ...]
    receiver_decorators: frozenset[str]
    connect_methods: frozenset[str]
    send_methods: frozenset[str]
    model_signals: frozenset[str]
    request_signals: frozenset[str]
    save_methods: frozenset[str]
    library_constructors: frozenset[str]
    library_decorators: frozenset[str]

    def family_of_base(self, base: str) -> Family | None:
        last = base.rpartition(".")[2]
        return next((family for family in self.families if last in family.bases), None)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = packaged_yaml(resources.files("servicelens.data").joinpath("framework_calls.yaml").read_text("utf-8"))
    families = tuple(Family(name, frozenset(spec["bases"]), frozenset(spec.get("hooks") or ()),
                            tuple(spec.get("prefixes") or ()), bool(spec.get("all_methods")),
                            bool(spec.get("saves_model"))) for name, spec in data["families"].items())
    hooks, signals = data["request_hooks"], data["signals"]
    return Knowledge(families, frozenset(data["admin_registrations"]), frozenset(hooks["decorators"]),
                     dict(hooks["calls"]), frozenset(hooks["keywords"]), frozenset(hooks["wrappers"]),
                     frozenset(hooks["lists"]), tuple(hooks["class_hooks"]),
                     frozenset(signals["receiver_decorators"]), frozenset(signals["connect_methods"]),
                     frozenset(signals["send_methods"]), frozenset(signals["model_signals"]),
                     frozenset(signals["request_signals"]), frozenset(signals["save_methods"]),
                     frozenset(data["template_libraries"]["constructors"]),
                     frozenset(data["template_libraries"]["decorators"]))


@dataclass(frozen=True, slots=True)
class Receiver:
    """A function connected to a signal (`@receiver(post_save, sender=Order)`, `sig.connect(f)`)."""

    function: str  # project-wide name of the receiving function
    signal: str  # the signal's own name (last segment): `post_save`, `order_paid`
    sender: str  # last segment of `sender=`, "" when it receives from any sender


@dataclass(frozen=True, slots=True)
class FrameworkCalls:
    # (project-wide name of a function or class, how it is registered) run in every request
    request_hooks: tuple[tuple[str, str], ...] = ()
    # (class key, project-wide names its class body names): what a view or admin class hands over
    class_refs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    meta_models: tuple[tuple[str, str], ...] = ()  # (class key, project-wide name of its `Meta.model`)
    receivers: tuple[Receiver, ...] = ()
    registered_admins: tuple[str, ...] = ()  # project-wide names of classes given to `.register(Model, Admin)`
    # (function qualname, project-wide class names its body names without calling them):
    # `get_serializer_class()` returning `InvoiceSerializer` hands the class to the framework
    function_refs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # FastAPI: (function qualname, what its parameters depend on: `Depends(f)` targets and the
    # names of `Annotated` aliases they are typed with); FastAPI runs a dependency's own
    # dependencies first, so a dependency's parameters count as a route's
    dependencies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # (alias, its `Depends` target): `Billing = Annotated[BillingService, Depends(get_billing)]`
    dependency_aliases: tuple[tuple[str, str], ...] = ()
    # (class qualname, first line, last line): a line of a class body outside its methods (a
    # serializer's `Meta.fields`) runs where the framework uses the class
    class_spans: tuple[tuple[str, int, int], ...] = ()


def framework_calls(module: ir.Module, imports: Mapping[str, str], index: FileIndex | None = None) -> FrameworkCalls:
    """`index`: the file's index, so the walks below read its layout (`unindexed()` walks)."""
    index = unindexed() if index is None else index
    known = knowledge()
    names = _Names(module, imports)
    hooks: dict[str, str] = {}
    receivers: list[Receiver] = []
    admins: list[str] = []
    libraries = {t.id for stmt in module.body if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call)
                 and _last(stmt.value.func) in known.library_constructors
                 for t in stmt.targets if isinstance(t, ir.Name)}
    for function in module.functions:
        key = f"{module.module_name}.{function.qualname}"
        for decorator in function.decorators:
            call = decorator if isinstance(decorator, ir.Call) else None
            dotted = ir.dotted_name(call.func if call else decorator) or ""
            last = dotted.rpartition(".")[2]
            if "." in dotted and last in known.hook_decorators:
                hooks.setdefault(key, f"`@{dotted}`")
            elif last in known.library_decorators and dotted.partition(".")[0] in libraries:
                hooks.setdefault(key, f"`@{dotted}`: a template tag, run while a view renders a template")
            elif last in known.receiver_decorators and call is not None and call.args:
                receivers.extend(Receiver(key, signal, _last(call.kwarg("sender"))) for signal in _signals(call.args[0]))
            elif last in known.connect_methods and "." in dotted:  # blinker: `@order_paid.connect`
                receivers.append(Receiver(key, dotted.rpartition(".")[0].rpartition(".")[2], ""))
    for cls in module.classes:
        for decorator in cls.decorators:  # `@admin.register(Post)`
            if isinstance(decorator, ir.Call) and _last(decorator.func) in known.admin_registrations:
                admins.append(f"{module.module_name}.{cls.qualname}")
    typed = _typed_parameters(module)
    for call in _all_calls(module, index):
        func = call.func
        if not isinstance(func, ir.Attr):
            _keyword_hooks(call, known, names, hooks)
            continue
        method = func.attr
        position = known.hook_calls.get(method)
        if position is not None and len(call.args) > position and (
                target := names.of(_instance_class(call.args[position]))
                or names.of_typed(call.args[position], typed)):
            hooks.setdefault(target, f"`.{method}()` at line {call.line}")
        elif method == "append" and isinstance(func.value, ir.Attr) and func.value.attr in known.hook_lists \
                and call.args and (target := names.of(call.args[0])):
            hooks.setdefault(target, f"`.{func.value.attr}.append()` at line {call.line}")
        elif method in known.connect_methods and call.args and (target := names.of(call.args[0])):
            receivers.append(Receiver(target, _last(func.value), _last(call.kwarg("sender"))))
        elif method in known.admin_registrations and len(call.args) >= 2 and (target := names.of(call.args[1])):
            admins.append(target)
        _keyword_hooks(call, known, names, hooks)
    return FrameworkCalls(tuple(sorted(hooks.items())), _class_refs(module, names, index), _meta_models(module, names),
                          tuple(dict.fromkeys(receivers)), tuple(dict.fromkeys(admins)),
                          _function_refs(module, names, index), *_dependencies(module, imports),
                          tuple((cls.qualname, cls.line, cls.end_line) for cls in module.classes))


def _keyword_hooks(call: ir.Call, known: Knowledge, names: "_Names", hooks: dict[str, str]) -> None:
    """`web.Application(middlewares=[m])`, `Starlette(exception_handlers={500: f},
    middleware=[Middleware(Audit)])`."""
    for keyword in call.kwargs:
        if keyword.name not in known.hook_keywords:
            continue
        value = keyword.value
        items = value.values if isinstance(value, ir.DictExpr) else value.elts if isinstance(value, ir.Seq) else ()
        for item in items:
            if isinstance(item, ir.Call) and _last(item.func) in known.hook_wrappers and item.args:
                item = item.args[0]
            if target := names.of(_instance_class(item)):
                hooks.setdefault(target, f"`{keyword.name}=` at line {call.line}")


def _instance_class(item: ir.Expr) -> ir.Expr:
    """`TokenMiddleware()` handed over as an instance (Falcon's `middleware=[...]`,
    `app.add_middleware(...)`): the class whose methods the framework calls; a call of a
    lowercase function (a middleware factory) stays the call, naming nothing."""
    if isinstance(item, ir.Call) and isinstance(item.func, (ir.Name, ir.Attr)) \
            and _last(item.func)[:1].isupper() and not _last(item.func).isupper():
        return item.func
    return item


def _class_refs(module: ir.Module, names: "_Names", index: FileIndex) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """What each class body's assignments name (`field = graphene.Field(OrderType)`), project-wide.
    A bare name that is neither the module's nor imported names nothing (`_Names.of`), so only
    attributes and such names are spelled; the values' nodes are slices of the file index."""
    out = []
    known = names.local | names.imports.keys()
    for cls in module.classes:
        found: list[str] = []
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                # what the body hands the framework is a whole name (`form_class = forms.OrderForm`);
                # the head of a chain only says where to look (`status` of
                # `status.HTTP_400_BAD_REQUEST`, a module, not a function of that name)
                nodes = index.walk(stmt.value)
                heads = {id(node.value) for node in nodes if type(node) is ir.Attr}
                found.extend(target for node in nodes
                             if (type(node) is ir.Attr or type(node) is ir.Name and node.id in known)
                             and id(node) not in heads
                             and (target := names.of(node)))
        if found:
            out.append((f"{module.module_name}.{cls.qualname}", tuple(dict.fromkeys(found))))
    return tuple(out)


def _dependencies(module: ir.Module, imports: Mapping[str, str]
                  ) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, str], ...]]:
    if not any(target.partition(".")[0] == "fastapi" for target in imports.values()):
        return (), ()
    from servicelens.endpoints.principals import depends_targets, qualify

    functions = []
    for function in module.functions:
        found: list[str] = []
        for param in function.params:
            found.extend(depends_targets(param.default, module, imports))
            found.extend(depends_targets(param.annotation, module, imports))
            if isinstance(param.annotation, (ir.Name, ir.Attr)):  # `billing: Billing`, an Annotated alias
                found.append(qualify(ir.dotted_name(param.annotation) or "", module, imports))
        if found := [name for name in found if name]:
            functions.append((function.qualname, tuple(dict.fromkeys(found))))
    aliases = []
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            for target in depends_targets(stmt.value, module, imports):
                aliases.extend((f"{module.module_name}.{t.id}", target) for t in stmt.targets if isinstance(t, ir.Name))
    return tuple(functions), tuple(aliases)


def _function_refs(module: ir.Module, names: "_Names", index: FileIndex) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Class names (capitalised) a function's body reads without calling them; calls are in its summary."""
    out = []
    for function in module.functions:
        called: set[int] = set()
        found: list[str] = []
        for node in index.block_nodes(function.body):  # pre-order: a call comes before its callee
            kind = type(node)
            if kind is ir.Call:
                called.add(id(node.func))  # type: ignore[attr-defined]
            # a dotted name's last segment is the node's own name: tested first, before the chain is built
            elif (kind is ir.Attr and node.attr[:1].isupper() or kind is ir.Name and node.id[:1].isupper()) \
                    and id(node) not in called \
                    and (ir.dotted_name(node) or "").rpartition(".")[2][:1].isupper() \
                    and (target := names.of(node)):
                found.append(target)
        if found:
            out.append((function.qualname, tuple(dict.fromkeys(found))))
    return tuple(out)


def _meta_models(module: ir.Module, names: "_Names") -> tuple[tuple[str, str], ...]:
    """`class Meta: model = Post` inside a ModelForm or ModelSerializer."""
    out = []
    for cls in module.classes:
        owner, _, name = cls.qualname.rpartition(".")
        if name != "Meta" or not owner:
            continue
        for stmt in cls.body:
            if isinstance(stmt, ir.Assign) and stmt.value is not None and any(
                    isinstance(t, ir.Name) and t.id == "model" for t in stmt.targets) and (target := names.of(stmt.value)):
                out.append((f"{module.module_name}.{owner}", target))
    return tuple(out)


def _signals(expr: ir.Expr) -> list[str]:
    items = expr.elts if isinstance(expr, ir.Seq) else (expr,)
    return [last for item in items if (last := _last(item))]


def _last(expr: ir.Expr | None) -> str:
    """The last name segment; a model signal's `sender="crm.Contact"` (a lazy reference) too."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value.rpartition(".")[2]
    return (ir.dotted_name(expr) or "").rpartition(".")[2] if expr is not None else ""


def _all_calls(module: ir.Module, index: FileIndex) -> Iterator[ir.Call]:
    for _, body in all_bodies(module):
        yield from index.block_of_kind(body, ir.Call)  # type: ignore[misc]


def _typed_parameters(module: ir.Module) -> dict[str, ir.Expr]:
    """Parameter names the module's functions annotate with one class throughout (`handlers:
    RequestHandlers`), so `handlers.before_request` handed to a hook names that class's method."""
    found: dict[str, ir.Expr] = {}
    mixed: set[str] = set()
    for function in module.functions:
        for param in function.params:
            if isinstance(param.annotation, (ir.Name, ir.Attr)):
                known = found.setdefault(param.name, param.annotation)
                if ir.dotted_name(known) != ir.dotted_name(param.annotation):
                    mixed.add(param.name)
    return {name: annotation for name, annotation in found.items() if name not in mixed}


class _Names:
    """Project-wide dotted names of what a module names: its own functions and classes, and imports."""

    def __init__(self, module: ir.Module, imports: Mapping[str, str]) -> None:
        self.module = module.module_name
        self.imports = imports
        self.local = {f.qualname for f in module.functions if "." not in f.qualname} | \
            {c.qualname for c in module.classes if "." not in c.qualname}

    def of(self, expr: ir.Expr) -> str:
        dotted = ir.dotted_name(expr) or ""
        head, _, rest = dotted.partition(".")
        if not head or head in ("self", "cls"):
            return ""
        if head in self.local:
            return f"{self.module}.{dotted}"
        if head in self.imports:
            return self.imports[head] + (f".{rest}" if rest else "")
        return ""

    def of_typed(self, expr: ir.Expr, typed: Mapping[str, ir.Expr]) -> str:
        """`handlers.before_request` with `handlers` a parameter annotated `RequestHandlers`: the
        class's method, project-wide."""
        dotted = ir.dotted_name(expr) or ""
        head, _, rest = dotted.partition(".")
        cls = self.of(typed[head]) if head in typed and rest else ""
        return f"{cls}.{rest}" if cls else ""
