"""Does a transport adapter give every request it sends a timeout? Read from its `send`.

Not a rule (it defines no RULE). `requests` hands each request of a session to the adapter
mounted on the longest prefix of its URL (`session.mount("https://", adapter)`), calling
`adapter.send(request, timeout=None, ...)` when the caller named no timeout. A subclass of
`HTTPAdapter` whose `send` fills one in (`kwargs.setdefault("timeout", self.timeout)`,
`if timeout is None: timeout = self.timeout`, `kwargs["timeout"] = self.default_timeout`) so
gives every request through it a deadline, whatever the adapter is called. missing-timeout
(perf_missing_timeout) records, per file, what each class that may be an adapter does in its
`send` (`AdapterClass`), and asks an `AdapterIndex` of the whole project which of the adapters
a request goes through are such classes, their own `send` or an inherited one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens import ir
from servicelens.analysis.class_hierarchy import ClassHierarchy
from servicelens.taint.scope import ModuleScope

# what a class's `send` does with the request's timeout
SETS = "sets"  # fills one in when the caller gave none
INHERITS = "inherits"  # no `send` of its own, or one handing the timeout on untouched to its base's
NONE = "none"  # a `send` of its own that sends without filling one in


@dataclass(frozen=True, slots=True)
class AdapterClass:
    """A class of the project that may be mounted as an adapter: its key (`module.Class`), its
    bases as written (qualified through the module's imports) and what its `send` does."""
    key: str
    bases: tuple[str, ...]
    send: str


def adapter_classes(module: ir.Module, scope: ModuleScope) -> tuple[AdapterClass, ...]:
    """The classes of `module` that define a `send`, and, in a module that imports requests,
    every class with a base (an adapter deriving from a project adapter may override
    `__init__` only): what `AdapterIndex` walks through."""
    imports_requests = any(imp.target.split(".", 1)[0] == "requests" for imp in module.imports)
    methods = {f.qualname: f for f in module.functions if f.class_name}
    out = []
    for cls in module.classes:
        send = methods.get(f"{cls.qualname}.send")
        if send is None and not (imports_requests and cls.bases):
            continue
        bases = tuple(scope.qualify(raw, None, set()) or raw
                      for raw in (ir.dotted_name(base) for base in cls.bases) if raw)
        out.append(AdapterClass(f"{scope.name}.{cls.qualname}", bases, INHERITS if send is None else _send_verdict(send)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class AdapterIndex:
    """The project's adapter classes, each resolved by the name a mounting module wrote."""
    hierarchy: ClassHierarchy
    sends: dict[str, str]

    @classmethod
    def of(cls, classes: Iterable[AdapterClass]) -> "AdapterIndex":
        listed = list(classes)
        return cls(ClassHierarchy.of({c.key: c.bases for c in listed}), {c.key: c.send for c in listed})

    def sets_timeout(self, adapter: str) -> bool:
        """The adapter class `adapter` (a dotted name as the mounting module wrote it) or the
        nearest base that defines `send` fills in a timeout. A library adapter (`HTTPAdapter`
        itself) or an unknown class does not."""
        for key, depth in self.hierarchy.ancestors(adapter):
            if depth == 0 and not _names_same_class(adapter, key):
                return False  # `requests.adapters.HTTPAdapter` is not the project's class of that name
            verdict = self.sends.get(key, INHERITS)
            if verdict != INHERITS:
                return verdict == SETS
        return False


def _names_same_class(name: str, key: str) -> bool:
    """A mounting module's dotted name for a class and a project class key name the same class:
    equal, one a dotted suffix of the other (a review rooted inside the package), or the same
    top-level package (a package re-exporting its module's class); never a library's class that
    merely shares the last name."""
    return name == key or key.endswith("." + name) or name.endswith("." + key) \
        or name.split(".", 1)[0] == key.split(".", 1)[0]


def _send_verdict(send: ir.Function) -> str:
    """SETS when the body gives the request a timeout the caller left out: into the keyword
    arguments it passes on (`kwargs.setdefault("timeout", t)`, `kwargs["timeout"] = t`,
    `kwargs.update(timeout=t)`), by rebinding its `timeout` parameter (`if timeout is None:
    timeout = self.timeout`), or in the call it sends with (`super().send(request,
    timeout=timeout or self.timeout, **kwargs)`); INHERITS when it only hands the request on to
    its base's `send`; NONE otherwise."""
    star = next((p.name for p in send.params if p.kind == "kwarg"), None)
    named = any(p.name == "timeout" for p in send.params)
    delegates = False
    for stmt in ir.walk_stmts(send.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _given(stmt.value, star):
            for target in stmt.targets:
                if named and isinstance(target, ir.Name) and target.id == "timeout":
                    return SETS
                if star and isinstance(target, ir.Subscript) and _is_name(target.value, star) \
                        and _const(target.index) == "timeout":
                    return SETS
        for expr in ir.stmt_exprs(stmt):
            for call in (node for node in ir.walk_expr(expr) if isinstance(node, ir.Call)):
                if not isinstance(call.func, ir.Attr):
                    continue
                if star and _is_name(call.func.value, star):
                    if call.func.attr == "setdefault" and _const(call.arg(0)) == "timeout" \
                            and _given(call.arg(1), star):
                        return SETS
                    if call.func.attr == "update" and _updates_timeout(call, star):
                        return SETS
                if call.func.attr == "send":
                    delegates = True
                    if _given(call.kwarg("timeout"), star) and not _is_name(call.kwarg("timeout"), "timeout"):
                        return SETS
    return INHERITS if delegates else NONE


def _updates_timeout(call: ir.Call, star: str) -> bool:
    """`kwargs.update(timeout=t)` or `kwargs.update({"timeout": t})` with a value."""
    if _given(call.kwarg("timeout"), star):
        return True
    first = call.arg(0)
    return _given(ir.option(first, "timeout"), star)


def _given(value: ir.Expr | None, star: str | None) -> bool:
    """A value that is a timeout: not absent, not None, and not the caller's own read back
    (`kwargs.get("timeout")`, `kwargs["timeout"]`, `kwargs.pop("timeout", None)`)."""
    if value is None or (isinstance(value, ir.Const) and value.value is None):
        return False
    if star is None:
        return True
    if isinstance(value, ir.Subscript) and _is_name(value.value, star):
        return False
    if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and _is_name(value.func.value, star) \
            and value.func.attr in ("get", "pop") and (len(value.args) < 2 or not _given(value.args[1], None)):
        return False
    return True


def _is_name(expr: ir.Expr | None, name: str) -> bool:
    return isinstance(expr, ir.Name) and expr.id == name


def _const(expr: ir.Expr | None) -> object:
    return expr.value if isinstance(expr, ir.Const) else None
