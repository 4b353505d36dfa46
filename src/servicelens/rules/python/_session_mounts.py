"""Which adapters a `requests` session sends a request through: its `mount(prefix, adapter)`s.

Not a rule (it defines no RULE): missing-timeout (perf_missing_timeout) asks, for a request
sent on a session, which adapter classes are mounted on that session at a prefix the request's
URL is written under; whether such an adapter fills in a timeout is read from its `send`
(_adapter_timeouts.py), across the project.

A session is followed wherever the module keeps it: a local (`s = requests.Session();
s.mount(...)`), an attribute (`self.session`, mounted in `__init__` or in any method of the
class, `configure_*` included), a module-level name, the value a factory returns (a function
of the module, a method, a `property`/`cached_property` of the class), and an attribute bound
to any of these (`self.session = session`).

## When a mount covers a request
`requests` gives a request to the adapter mounted on the longest prefix of its URL. The
review cannot evaluate URLs, so it asks where the URL is *written* to start:
- a mount on `"https://"` or `"http://"` (session-wide for that scheme) covers every request
  whose URL is not written to start with the other scheme;
- a mount on a written-out prefix (`"https://api.example.com/v2/"`) covers a URL written to
  start with that text;
- a mount on a named prefix (`self.api_base_url`, `server_url`, `settings.BILLING_URL`)
  covers a URL built from that same value at its start (`f"{self.api_base_url}{path}"`,
  `urljoin(self.server_url, path)`, `self.api_base_url + path`, a name bound to any of these),
  followed through assignments: a parameter stored in `__init__` (`self.server_url =
  server_url`) is the same value as the field, and a URL built from `self.api_base_url`,
  itself built from `self.base_url`, starts with both. A URL built from a shorter base than
  the prefix (`f"{self.base_url}/api/v1/auth/token"` while the adapter is mounted on
  `self.api_base_url = self.base_url + path`) is not covered: requests sends it through the
  session's default adapter, with no timeout.
A prefix a factory takes as a parameter (`def make_session(base_url): s.mount(base_url, ...)`)
is the argument the caller hands it.

Known problems: a relative reference resolved against the prefix (`urljoin(base, "/api")`) is
taken to stay under it (it stays on the prefix's host; a prefix with a path of its own is then
left); where a mount happens in the class or function is not checked against when the request
is sent (a method that mounts after the request is still counted); a session handed to another
module, or mounted there, is not followed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens import ir
from servicelens.rules.python.perf_common import PerfContext, method_of, receiver
from servicelens.taint.scope import ModuleScope

_SCHEMES = ("http://", "https://")
_PROPERTIES = frozenset({"property", "cached_property", "functools.cached_property", "cached_property.cached_property",
                         "django.utils.functional.cached_property"})
_MAX_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Mount:
    """One `session.mount(prefix, adapter)`: the prefix by the names it is known under (`keys`), as
    written out (`literal`), or as the factory's parameter `param` the caller fills; the adapter's class."""
    keys: frozenset[str]
    literal: str | None
    adapter: str
    param: str | None = None


@dataclass(frozen=True, slots=True)
class _Place:
    """Where an expression is read: its function (None at module level), the names local to it,
    and the fields it stores its locals into (`self.server_url = server_url`)."""
    function: ir.Function | None
    locals: frozenset[str]
    stores: Mapping[str, tuple[str, ...]]


class SessionMounts:
    """The mounts of one module's sessions, built once per module (through `ModuleScope.memo`)."""

    __slots__ = ("_ctx", "_scope", "_places", "_fields", "_mounts", "_factories")

    @classmethod
    def shared(cls, ctx: PerfContext, scope: ModuleScope) -> SessionMounts:
        return scope.memo("session-mounts", lambda: cls(ctx, scope))

    def __init__(self, ctx: PerfContext, scope: ModuleScope) -> None:
        self._ctx, self._scope = ctx, scope
        self._places: dict[int, _Place] = {}
        self._fields = _class_fields(ctx)
        self._mounts: dict[tuple[str, ...], list[Mount]] = {}
        self._factories: dict[str, list[tuple[ir.Function, list[Mount]]]] = {}
        self._build()

    def covering(self, call: ir.Call, url: ir.Expr | None, function: ir.Function | None) -> tuple[str, ...]:
        """The adapter classes mounted on the session `call` is sent on at a prefix its `url` is
        written under (see the module docstring); () when none is known to."""
        session = ir.dotted_name(receiver(call)) if receiver(call) is not None else None
        if not session:
            return ()
        mounts = self._mounts.get(self._session_key(session, function), ())
        if not mounts:
            return ()
        keys, literal = self._heads(url, function, 0) if url is not None else (frozenset(), None)
        return tuple(dict.fromkeys(m.adapter for m in mounts if _covers(m, keys, literal)))

    # ------------------------------------------------------------ building the table

    def _build(self) -> None:
        bodies = list(self._ctx.bodies())
        for function, view in bodies:
            for site in view.sites:
                if method_of(site.call) == "mount":
                    self._record_mount(site.call, function)
        for _ in range(2):  # a factory may return what another built; an alias may name an alias
            self._factories = self._returned()
            for function, view in bodies:
                for target, value in view.assigns.items():
                    inherited = self._value_mounts(value, function, 0)
                    if inherited:
                        self._add(self._session_key(target, function), inherited)
            for function, _ in bodies:
                if function is not None and function.class_name and is_property(function):
                    self._add(("class", function.class_name, f"self.{function.name}"),
                              [m for _, mounts in self._factories.get(_factory_key(f"self.{function.name}", function), ())
                               for m in mounts])

    def _record_mount(self, call: ir.Call, function: ir.Function | None) -> None:
        session = ir.dotted_name(receiver(call)) if receiver(call) is not None else None
        prefix, adapter = call.arg(0, "prefix"), call.arg(1, "adapter")
        if not session or prefix is None or adapter is None:
            return
        cls = self._adapter_class(adapter, function)
        if cls is None:
            return
        self._add(self._session_key(session, function),
                  [self._mount(expr, cls, function) for expr in self._loop_values(prefix, function)])

    def _adapter_class(self, adapter: ir.Expr, function: ir.Function | None) -> str | None:
        """`TimeoutAdapter(5)`, or a name (`adapter`, `self.adapter`) bound to one."""
        if isinstance(adapter, (ir.Name, ir.Attr)):
            dotted = ir.dotted_name(adapter) or ""
            bound = self.value_of(dotted, function)
            adapter = bound[0] if bound is not None else adapter
        if not isinstance(adapter, ir.Call):
            return None
        raw = ir.dotted_name(adapter.func)
        return (self._scope.qualify(raw, function, set()) or raw) if raw else None

    def _loop_values(self, prefix: ir.Expr, function: ir.Function | None) -> tuple[ir.Expr, ...]:
        """`for prefix in (self.search_url, self.aggregate_url): s.mount(prefix, a)`: each value."""
        if not isinstance(prefix, ir.Name):
            return (prefix,)
        for stmt in ir.walk_stmts(function.body if function is not None else self._ctx.module.body):
            if isinstance(stmt, ir.For) and isinstance(stmt.target, ir.Name) and stmt.target.id == prefix.id:
                values = stmt.iter
                if isinstance(values, ir.Name):
                    values = self._ctx.view(function or self._ctx.module).assigns.get(values.id, values)
                if isinstance(values, ir.Seq):
                    return values.elts
        return (prefix,)

    def _mount(self, prefix: ir.Expr, adapter: str, function: ir.Function | None) -> Mount:
        literal = _literal(prefix)
        if literal is not None:
            return Mount(frozenset(), literal, adapter)
        dotted = ir.dotted_name(prefix)
        if not dotted:
            return Mount(frozenset(), None, adapter)
        param = dotted if function is not None and dotted in {p.name for p in function.params} \
            and dotted not in ("self", "cls") else None
        return Mount(self._alias_keys(dotted, function, 0), None, adapter, param)

    def _alias_keys(self, dotted: str, function: ir.Function | None, depth: int) -> frozenset[str]:
        """The names a prefix is known under: its own, the fields it is stored in, and those of the
        value it merely renames (`base = self.base_url`), not those of values it is built from:
        a URL must start with the whole prefix."""
        keys = self._keys(dotted, function)
        bound = self.value_of(dotted, function) if depth < _MAX_DEPTH else None
        if bound is not None and isinstance(bound[0], (ir.Name, ir.Attr)) and ir.dotted_name(bound[0]):
            keys |= self._alias_keys(ir.dotted_name(bound[0]) or "", bound[1], depth + 1)
        return keys

    def _returned(self) -> dict[str, list[tuple[ir.Function, list[Mount]]]]:
        """Factories by the name they are called with (`make_session`, `self._build_session` of
        its class): the mounts of the session each returns."""
        out: dict[str, list[tuple[ir.Function, list[Mount]]]] = {}
        for function in self._ctx.module.functions:
            if "<locals>" in function.qualname:
                continue
            mounts: list[Mount] = []
            for stmt in ir.walk_stmts(function.body):
                if isinstance(stmt, ir.Return) and stmt.value is not None:
                    mounts.extend(self._value_mounts(stmt.value, function, 0))
            if mounts:
                name = f"self.{function.name}" if function.class_name else function.name
                out.setdefault(_factory_key(name, function), []).append((function, mounts))
        return out

    def _value_mounts(self, value: ir.Expr, function: ir.Function | None, depth: int) -> list[Mount]:
        """The mounts of the session `value` is: a name with mounts, a factory's call (its
        parameters filled from the call), either side of `given or make_session()`."""
        if depth > _MAX_DEPTH:
            return []
        if isinstance(value, ir.BoolOp):
            return [m for v in value.values for m in self._value_mounts(v, function, depth + 1)]
        if isinstance(value, ir.IfExp):
            return [m for v in (value.body, value.orelse) for m in self._value_mounts(v, function, depth + 1)]
        if isinstance(value, (ir.Name, ir.Attr)):
            dotted = ir.dotted_name(value)
            return list(self._mounts.get(self._session_key(dotted, function), ())) if dotted else []
        if not isinstance(value, ir.Call):
            return []
        called = _factory_key(ir.dotted_name(value.func) or "", function)
        out: list[Mount] = []
        for factory, mounts in self._factories.get(called, ()):
            for mount in mounts:
                out.append(self._filled(mount, factory, value, function) if mount.param is not None else mount)
        return out

    def _filled(self, mount: Mount, factory: ir.Function, call: ir.Call, caller: ir.Function | None) -> Mount:
        """A factory's mount on its parameter, the prefix being the argument this call hands it."""
        params = [p for p in factory.params if p.name not in ("self", "cls")]
        position = next((i for i, p in enumerate(params) if p.name == mount.param), None)
        given = call.arg(position if position is not None else -1, mount.param)
        if given is None:
            return Mount(frozenset(), None, mount.adapter)
        return self._mount(given, mount.adapter, caller)

    def _add(self, key: tuple[str, ...], mounts: list[Mount]) -> None:
        known = self._mounts.setdefault(key, [])
        known.extend(m for m in mounts if m not in known)

    # ------------------------------------------------------------ names and values

    def _place(self, function: ir.Function | None) -> _Place:
        found = self._places.get(id(function))
        if found is None:
            if function is None:
                found = _Place(None, frozenset(), {})
            else:
                names = ir.assigned_names(ir.walk_stmts(function.body)) | {p.name for p in function.params}
                stores: dict[str, list[str]] = {}
                for target, value in self._ctx.view(function).assigns.items():
                    if target.startswith("self.") and isinstance(value, ir.Name):
                        stores.setdefault(value.id, []).append(target)
                found = _Place(function, frozenset(names), {k: tuple(v) for k, v in stores.items()})
            self._places[id(function)] = found
        return found

    def _session_key(self, dotted: str, function: ir.Function | None) -> tuple[str, ...]:
        """Where a session name lives: a field of the class, a local of the function, or the module's."""
        if dotted.startswith("self.") and function is not None and function.class_name:
            return ("class", function.class_name, dotted)
        if function is not None and dotted.split(".", 1)[0] in self._place(function).locals:
            return ("function", function.qualname, dotted)
        return ("module", dotted)

    def _keys(self, dotted: str, function: ir.Function | None) -> frozenset[str]:
        """The names a value is known under where it is read: itself, and the fields a local is stored in."""
        place = self._place(function)
        own = "#".join(self._session_key(dotted, function))
        stored = place.stores.get(dotted, ()) if function is not None else ()
        return frozenset({own, *("#".join(self._session_key(field, function)) for field in stored)})

    def value_of(self, dotted: str, function: ir.Function | None) -> tuple[ir.Expr, ir.Function | None] | None:
        """What a name is bound to, and where that value is read: a local of the function, a field
        bound in `__init__` (or in the one method that binds it), a module-level name."""
        if function is not None and dotted.startswith("self.") and function.class_name:
            return self._fields.get((function.class_name, dotted))
        if function is not None and dotted.split(".", 1)[0] in self._place(function).locals:
            value = self._ctx.view(function).assigns.get(dotted)
            return (value, function) if value is not None else None
        value = self._ctx.view(self._ctx.module).assigns.get(dotted)
        return (value, None) if value is not None else None

    def _heads(self, expr: ir.Expr, function: ir.Function | None, depth: int) -> tuple[frozenset[str], str | None]:
        """What a URL is written to start with: the names of the values it is built from at its
        start (followed through assignments) and its written-out start, when it has one."""
        if depth > _MAX_DEPTH:
            return frozenset(), None
        if isinstance(expr, ir.Const):
            return frozenset(), expr.value if isinstance(expr.value, str) else None
        if isinstance(expr, ir.FormattedString):
            return self._parts_heads(expr.parts, function, depth)
        if isinstance(expr, ir.BinOp) and expr.op == "+":
            return self._heads(expr.left, function, depth + 1)
        if isinstance(expr, ir.BinOp) and expr.op == "%" and isinstance(expr.left, ir.Const):
            first = expr.right.elts[0] if isinstance(expr.right, ir.Seq) and expr.right.elts else expr.right
            return self._template_heads(str(expr.left.value), "%s", first, function, depth)
        if isinstance(expr, ir.Call):
            if method_of(expr) == "format" and isinstance(receiver(expr), ir.Const):
                text = str(receiver(expr).value)  # type: ignore[union-attr]
                return self._template_heads(text, "{}", expr.arg(0), function, depth)
            if (ir.dotted_name(expr.func) or "").rsplit(".", 1)[-1] == "urljoin" and expr.arg(0, "base") is not None:
                return self._heads(expr.arg(0, "base"), function, depth + 1)  # type: ignore[arg-type]
            return frozenset(), None
        dotted = ir.dotted_name(expr)
        if not dotted:
            return frozenset(), None
        keys = self._keys(dotted, function)
        bound = self.value_of(dotted, function)
        if bound is None:
            return keys, None
        more, literal = self._heads(bound[0], bound[1], depth + 1)
        return keys | more, literal

    def _parts_heads(self, parts: tuple[ir.Expr, ...], function: ir.Function | None,
                     depth: int) -> tuple[frozenset[str], str | None]:
        written = ""
        for part in parts:
            if isinstance(part, ir.Const):
                written += str(part.value)
                continue
            if written:
                return frozenset(), written
            return self._heads(part, function, depth + 1)
        return frozenset(), written

    def _template_heads(self, text: str, placeholder: str, first: ir.Expr | None, function: ir.Function | None,
                        depth: int) -> tuple[frozenset[str], str | None]:
        """`"{}{}".format(base, path)`, `"%s/x" % base`: the text before the first placeholder, or
        what fills it when the template starts with one."""
        opening = placeholder[0]
        cut = text.find(opening)
        if cut != 0:
            return frozenset(), text if cut < 0 else text[:cut]
        if not (text.startswith(placeholder) or text.startswith("{0}")) or first is None:
            return frozenset(), None
        return self._heads(first, function, depth + 1)


def _factory_key(called: str, function: ir.Function | None) -> str:
    """A method is called through `self` of its own class: `Client:self._session`."""
    if called.startswith("self.") and function is not None and function.class_name:
        return f"{function.class_name}:{called}"
    return called


def _covers(mount: Mount, keys: frozenset[str], literal: str | None) -> bool:
    if mount.literal is not None:
        prefix = mount.literal.lower()
        if prefix in _SCHEMES:  # session-wide for the scheme: any URL not written with the other one
            start = (literal or "").lower()
            return prefix.startswith(start) or start.startswith(prefix) if start else True
        return literal is not None and literal.lower().startswith(prefix)
    return bool(mount.keys & keys)


def _literal(expr: ir.Expr) -> str | None:
    """A prefix written out: a string, or an f-string of constant parts only."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ir.FormattedString) and all(isinstance(p, ir.Const) for p in expr.parts):
        return "".join(str(p.value) for p in expr.parts)  # type: ignore[union-attr]
    return None


def _class_fields(ctx: PerfContext) -> dict[tuple[str, str], tuple[ir.Expr, ir.Function | None]]:
    """(class, `self.x`) -> the value bound to it and the method binding it: `__init__`'s, else
    the only method's binding it (several methods binding different values: none)."""
    found: dict[tuple[str, str], list[tuple[ir.Expr, ir.Function]]] = {}
    for function in ctx.module.functions:
        if not function.class_name or "<locals>" in function.qualname:
            continue
        for target, value in ctx.view(function).assigns.items():
            if target.startswith("self.") and target.count(".") == 1:
                found.setdefault((function.class_name, target), []).append((value, function))
    out: dict[tuple[str, str], tuple[ir.Expr, ir.Function | None]] = {}
    for key, bound in found.items():
        init = [b for b in bound if b[1].name == "__init__"]
        if init:
            out[key] = init[0]
        elif len(bound) == 1:
            out[key] = bound[0]
    return out


def is_property(function: ir.Function) -> bool:
    """`@property`, `@functools.cached_property` and the like: read as an attribute, run as a call."""
    return any((ir.dotted_name(d) or "") in _PROPERTIES or (ir.dotted_name(d) or "").endswith(".cached_property")
               for d in function.decorators)
