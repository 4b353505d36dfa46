"""Where the address a client connects to comes from, as far as one function's code shows.

A missing timeout on a client of the service's own backing store (the cache or broker the
deployment configures next to it) is a different claim from one on a call to a peer the code
was handed: the first hangs only on a half-open connection inside the deployment, the second
on whatever the caller or the data named. The answer is read from data flow, never from
names: the address expression is followed through the function's local assignments to its
leaves, and each leaf is classified by what binds it.
"""
from __future__ import annotations

from enum import Enum
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping

from servicelens import ir

# literal hosts that never leave the machine
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "unix://", "/")


class Origin(Enum):
    """What the address is bound to, from the most to the least telling."""

    HANDED_IN = "handed in"  # a parameter of the function or state of the instance (`self.host`)
    CONFIGURED = "configured"  # module-level state: settings, environment, a config object, a constant
    LOCAL = "local"  # no address (the client's default, the local machine) or a literal local one
    LITERAL = "literal"  # a literal remote host


_NOTHING_BOUND: Mapping[str, Origin] = MappingProxyType({})


def address_origin(address: ir.Expr | None, assigns: Mapping[str, ir.Expr], params: frozenset[str],
                   bound: Mapping[str, Origin] = _NOTHING_BOUND) -> Origin:
    """Where `address` comes from. `assigns`: the function's local bindings (name -> last value);
    `params`: its parameter names (`self` included); `bound`: names and instance fields whose origin
    is already known (`self.uri` -> CONFIGURED, see `constructed_fields`). Absent: the client's
    default (localhost)."""
    if address is None:
        return Origin.LOCAL
    leaves = list(_leaves(address, assigns, params, frozenset(), bound))
    if Origin.HANDED_IN in leaves:
        return Origin.HANDED_IN
    if Origin.CONFIGURED in leaves:
        return Origin.CONFIGURED
    if Origin.LITERAL in leaves:
        return Origin.LITERAL
    return Origin.LOCAL


def own_infrastructure(address: ir.Expr | None, assigns: Mapping[str, ir.Expr], params: frozenset[str],
                       bound: Mapping[str, Origin] = _NOTHING_BOUND) -> bool:
    """The address is the deployment's: read from its configuration or on the local machine."""
    return address_origin(address, assigns, params, bound) in (Origin.CONFIGURED, Origin.LOCAL)


# across the places a class is built, the least telling origin decides: one construction handed
# an address makes the field handed in, one naming a remote host makes it remote
_WORST_FIRST = (Origin.HANDED_IN, Origin.LITERAL, Origin.CONFIGURED, Origin.LOCAL)


def constructed_fields(init: ir.Function, init_assigns: Mapping[str, ir.Expr],
                       constructions: Iterable[tuple[ir.Call, Mapping[str, ir.Expr], frozenset[str]]]) \
        -> dict[str, Origin]:
    """The origin of each instance field `__init__` binds (`self.uri = uri`), from what the places
    that build the class hand its parameters (`RedisWrapper(app_settings.REDIS_URI)`), or the
    parameter's default where a construction leaves it out. `constructions`: each `Cls(...)` call
    with the bindings and parameter names of the function it is in. No construction seen: nothing
    is concluded (the fields stay handed in)."""
    built = list(constructions)
    if not built:
        return {}
    params = [p for p in init.params[1:] if p.kind in ("positional", "keyword")]
    origins: dict[str, Origin] = {}
    for position, param in enumerate(params):
        seen = set()
        for call, assigns, caller_params in built:
            value = call.arg(position, param.name) if param.kind == "positional" else call.kwarg(param.name)
            if value is not None:
                seen.add(address_origin(value, assigns, caller_params))
            elif param.default is not None:
                seen.add(address_origin(param.default, {}, frozenset()))
            else:
                seen.add(Origin.HANDED_IN)  # passed some other way (`*args`, `**options`)
        origins[param.name] = next(o for o in _WORST_FIRST if o in seen)
    self_name = init.params[0].name if init.params else "self"
    return {name: address_origin(value, init_assigns, frozenset({self_name}), origins)
            for name, value in init_assigns.items() if name.startswith(f"{self_name}.")}


def names_local_host(url: ir.Expr | None, assigns: Mapping[str, ir.Expr]) -> bool:
    """The URL's scheme and host are written out and name this machine
    (`f"http://localhost:8005/faces/{photo_id}"`): a peer co-located with the service, whatever
    the path and query interpolated after the host."""
    text = written_start(url, assigns)
    return "://" in text and _local_literal(text)


def written_start(url: ir.Expr | None, assigns: Mapping[str, ir.Expr]) -> str:
    """The text a URL is written to start with, followed through the function's assignments:
    a literal, the literal head of an f-string (`f"http://localhost:8005/{x}"`) or of a
    concatenation (`"data:image/png;base64," + payload`); "" when it does not start with one."""
    seen: set[str] = set()
    while isinstance(url, ir.Name) and url.id in assigns and url.id not in seen:
        seen.add(url.id)
        url = assigns[url.id]
    if isinstance(url, ir.FormattedString) and url.parts:
        url = url.parts[0]
    elif isinstance(url, ir.BinOp):
        url = url.left
    return url.value if isinstance(url, ir.Const) and isinstance(url.value, str) else ""


def _leaves(expr: ir.Expr, assigns: Mapping[str, ir.Expr], params: frozenset[str],
            seen: frozenset[str], bound: Mapping[str, Origin] = _NOTHING_BOUND) -> Iterator[Origin]:
    if isinstance(expr, ir.Const):
        if isinstance(expr.value, str) and expr.value:
            yield Origin.LOCAL if _local_literal(expr.value) else Origin.LITERAL
        return
    if isinstance(expr, ir.Name):
        yield from _name(expr.id, assigns, params, seen, bound)
        return
    if isinstance(expr, (ir.Attr, ir.Subscript)):
        root = expr
        while isinstance(root, (ir.Attr, ir.Subscript)):  # the key names a field, the container the source
            root = root.value
        if isinstance(root, ir.Name):
            dotted = ir.dotted_name(expr)
            if dotted and dotted in assigns and dotted not in seen:  # `self.url = settings.X` bound here
                yield from _leaves(assigns[dotted], assigns, params, seen | {dotted}, bound)
            elif dotted and (field := _bound_field(dotted, bound)) is not None:
                yield field  # a field `__init__` bound from what the class was built with (`self.conf.host`)
            else:
                yield from _name(root.id, assigns, params, seen, bound)
        else:
            yield from _leaves(root, assigns, params, seen, bound)
        return
    if isinstance(expr, ir.Call):  # `env("REDIS_URL")`, `urlparse(settings.URL).hostname`: what goes in
        inputs = [*expr.args, *(k.value for k in expr.kwargs)]
        if isinstance(expr.func, ir.Attr):
            inputs.append(expr.func.value)  # `settings.get("x")`, `url.replace(...)`
        if not inputs:
            yield Origin.CONFIGURED  # a module helper building it from what the process was given
        for value in inputs:
            yield from _leaves(value, assigns, params, seen, bound)
        return
    if isinstance(expr, ir.FormattedString):  # `f"redis://{host}:{port}"`: the scheme is not an address
        interpolated = [part for part in expr.parts if not isinstance(part, ir.Const)]
        if not interpolated:
            text = "".join(str(part.value) for part in expr.parts if isinstance(part, ir.Const))
            yield Origin.LOCAL if _local_literal(text) else Origin.LITERAL
        for value in interpolated:
            yield from _leaves(value, assigns, params, seen, bound)
        return
    if isinstance(expr, ir.BinOp):
        for side in (expr.left, expr.right):
            if not isinstance(side, ir.Const):
                yield from _leaves(side, assigns, params, seen, bound)
        if isinstance(expr.left, ir.Const) and isinstance(expr.right, ir.Const):
            yield from _leaves(expr.left, assigns, params, seen, bound)
        return
    for part in (expr.body, expr.orelse) if isinstance(expr, ir.IfExp) else getattr(expr, "values", ()):
        yield from _leaves(part, assigns, params, seen, bound)  # `a or b`, `a if c else b`: either may be used
    if isinstance(expr, ir.Await):
        yield from _leaves(expr.value, assigns, params, seen, bound)


def _bound_field(dotted: str, bound: Mapping[str, Origin]) -> Origin | None:
    """The origin of `self.conf.host` when `self.conf` (or `self.conf.host`) is a known field."""
    while "." in dotted:
        if dotted in bound:
            return bound[dotted]
        dotted = dotted.rpartition(".")[0]
    return None


def _name(name: str, assigns: Mapping[str, ir.Expr], params: frozenset[str], seen: frozenset[str],
          bound: Mapping[str, Origin] = _NOTHING_BOUND) -> Iterator[Origin]:
    if name in bound:
        yield bound[name]
    elif name in params:
        yield Origin.HANDED_IN
    elif name in assigns and name not in seen:
        yield from _leaves(assigns[name], assigns, params, seen | {name}, bound)
    else:
        yield Origin.CONFIGURED  # bound at module level or imported: the process's own state


def _local_literal(text: str) -> bool:
    host = text.split("://", 1)[-1].rpartition("@")[2]
    return text.startswith(_LOCAL_HOSTS) or host.startswith(_LOCAL_HOSTS[:3])
