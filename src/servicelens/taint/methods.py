"""What well-known methods do to the values they touch: sanitizing methods, containers
filled by append/update/insert/pop, dict `.get`, `str.format`/`join`/`replace`, a `map` whose
callback never reads the element, and XML parsers switched to resolving external entities by
`setFeature`."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from servicelens import ir
from servicelens.taint.consts import truth
from servicelens.taint.evaluate_support import CONTAINER, MUTATORS, escaped_by_repr, format_shape, formats_members_by_repr
from servicelens.taint.models import ALL, SanitizerSpec
from servicelens.taint.patterns import ONE_COMPONENT, module_patterns, strips_to_one_component
from servicelens.taint.predicates import fixed_host, fixed_origin, in_query_value, query_fields, reads_as_sql_handle
from servicelens.taint.values import CLEAN, EMPTY, UNKNOWN, Value, join, merge

# the models' tag of a SQL database handle (its escapers cleanse sql-injection)
SQL_CLIENT = "sql-client"

if TYPE_CHECKING:
    from servicelens.taint.models import ModelIndex
    from servicelens.taint.scope import ModuleScope

Env = dict[str, Value]


# array methods whose result is made of what their callback returns for each element
_MAPPERS = frozenset({"map", "flatMap"})


def inline_callback(module: ir.Module, expr: ir.Expr) -> tuple[tuple[ir.Param, ...], tuple[ir.Expr, ...]] | None:
    """A callback written in place: its parameters and every expression of its body (a Python
    lambda; a JavaScript function expression, lowered as a local function the name refers to)."""
    if isinstance(expr, ir.Lambda):
        return expr.params, (expr.body,)
    if isinstance(expr, ir.Name) and expr.id.startswith("<anon@"):
        for function in module.functions:
            if function.qualname == expr.id or function.qualname.endswith(".<locals>." + expr.id):
                nested = [f for f in module.functions if f.qualname.startswith(function.qualname + ".<locals>.")]
                exprs = tuple(e for f in (function, *nested) for stmt in ir.walk_stmts(f.body) for e in ir.stmt_exprs(stmt))
                return function.params, exprs
    return None


def _reads_element(params: tuple[ir.Param, ...], exprs: tuple[ir.Expr, ...]) -> bool:
    """The callback reads its first parameter (the element) somewhere in its body other than in a
    comparison: a test (`if (trigger === 'autofix') return FIXED_SQL`) only chooses between what the
    callback returns, and its boolean carries none of the element's text."""
    if not params:
        return False
    element = params[0].name
    stack = list(exprs)
    while stack:
        node = stack.pop()
        if isinstance(node, ir.Compare):
            continue
        if isinstance(node, ir.Name) and node.id == element:
            return True
        stack.extend(ir.child_exprs(node))
    return False


# A mapping's reads by key: what they return is a member (or the default), never the key
# (here for a mapping whose members are known; taint.calls for one nothing resolves)
MAPPING_READS = frozenset({"get", "pop"})


class MethodSemantics:
    """Mixin of the call evaluator for method calls on values it tracks."""

    models: ModelIndex
    scope: ModuleScope  # provided by CallEvaluator

    qualify_expr: Callable[[ir.Expr], str | None]  # provided by CallEvaluator
    peer_chosen_by_client: Callable[..., bool]  # provided by SinkRecorder

    def handle_escaper(self, call: ir.Call, method: str, args: list[Value]) -> Value | None:
        """`this.sequelize.escape(q)`, `db.escapeLiteral(q)` on a handle nothing tagged (handed to a
        helper's constructor, exported by a models index): the reading of the receiver that makes
        its `.query(text)` a sink (predicates.sql_client_text) makes its escaper quote the text."""
        sanitizer = self.models.method_sanitizers.get(method)
        if sanitizer is None or sanitizer.receiver_tag != SQL_CLIENT or not isinstance(call.func, ir.Attr) \
                or not reads_as_sql_handle(call.func.value):
            return None
        return sanitized(args, sanitizer.cleanses)

    def method_call(self, call: ir.Call, method: str, receiver: Value, args: list[Value],
                    kwargs: dict[str, Value], env: Env) -> Value | None:
        sanitizer = self.models.method_sanitizers.get(method)
        if sanitizer is not None and (not sanitizer.receiver_tag or sanitizer.receiver_tag in receiver.tags
                                      or receiver.const is not UNKNOWN or receiver.shape is not None) \
                and not (sanitizer.receiver_tag and receiver.is_tainted()) \
                and not self.peer_chosen_by_client(call, None, method, receiver, args, kwargs):
            # a tagged receiver that carries the client's data (a client built on the client's URL, or
            # what such a client answered) proves nothing about what its methods return
            return url_built(sanitized([receiver] + args, sanitizer.cleanses), sanitizer, kwargs)
        callback = inline_callback(self.scope.module, call.args[0]) if method in _MAPPERS and call.args else None
        if callback is not None and not _reads_element(*callback):
            # `ids.map((_, i) => `$${i + 1}`)`, `ids.map(() => '?')`: placeholders made from the
            # position (or from nothing), not from what the client sent; `kinds.map(k => k === 'a' ?
            # FIXED_A : FIXED_B)`: one of the callback's own fragments per element; what the callback reads
            # of the enclosing function (`() => req.query.x`) still counts
            params, exprs = callback
            own = {p.name for p in params}
            read = [env[node.id] for top in exprs for node in ir.walk_expr(top)
                    if isinstance(node, ir.Name) and node.id in env and node.id not in own]
            if not any("request" in value.tags for value in read):  # `() => req.query.x`: judged as before
                return Value(taint=merge(*(value.all_taint() for value in read)))
        name = call.func.value.id if isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) else None
        if method in MUTATORS and name is not None:
            added = merge(*(a.all_taint() for a in args), *(v.all_taint() for v in kwargs.values()))
            if method == "append" and receiver.elements is not None and args:
                env[name] = receiver.with_element(len(receiver.elements), args[0])
            elif method == "update" and args and args[0].elements is not None:
                updated = receiver
                for key, value in args[0].elements:
                    updated = updated.with_element(key, value)
                env[name] = updated.with_taint(args[0].taint)
            elif added:
                env[name] = receiver.with_taint(added)
            # Python's containers are what these names mutate; in JavaScript `repo.update(...)`,
            # `set.add(...)` are as often a project's own methods: the call stays on record
            return None if self.scope.module.language != "python" else CLEAN
        if method == "setFeature" and name is not None and len(args) >= 2 and truth(args[1].const):
            feature = self.qualify_expr(call.args[0]) or ir.dotted_name(call.args[0]) or str(args[0].const)
            if "external" in feature:
                env[name] = Value(taint=receiver.taint, tags=receiver.tags | {"xml-unsafe"})
            return CLEAN
        if method in ("pop", "insert") and name is not None and is_list_value(receiver):
            return self.list_mutation(method, name, receiver, args, env)
        if method in MAPPING_READS and args and receiver.elements is not None:
            if args[0].const is not UNKNOWN:
                found = receiver.element(args[0].const)
                return join(found, args[1]) if len(args) > 1 else found
            # an unknown key picks one of the known values (or the default), never the key itself
            default = args[1].all_taint() if len(args) > 1 else EMPTY
            return Value(taint=merge(receiver.all_taint(), default))
        stripped = self._compiled_strip(call, method, args, kwargs)
        if stripped is not None:
            return stripped
        if method == "replace" and len(args) >= 2 and isinstance(args[0].const, str) and isinstance(args[1].const, str):
            removed, inserted = args[0].const, args[1].const
            kinds = _REPLACE_CLEANSES.get(removed, frozenset()) if removed not in inserted else frozenset()
            if removed in ("'", '"') and inserted == removed * 2:
                kinds = frozenset({"sql-injection"})  # doubling the quote is SQL's own escape
            if kinds:  # `s.replace("'", "&apos;")`: the quote can no longer close a literal
                return Value(taint=frozenset(o.cleanse(kinds) for o in receiver.all_taint()), shape=receiver.shape)
        if method == "format":
            if self.scope.module.language == "python":  # a container is written member by member with repr()
                args = [escaped_by_repr(a) if formats_members_by_repr(a) else a for a in args]
                kwargs = {k: escaped_by_repr(v) if formats_members_by_repr(v) else v for k, v in kwargs.items()}
            after = query_fields(receiver.const) if isinstance(receiver.const, str) else None
            if after is not None:  # `"{}?next={}".format(base, url)`: fields past the `?` are the query
                first, names = after
                args = [in_query_value(a) if i >= first else a for i, a in enumerate(args)]
                kwargs = {k: in_query_value(v) if k in names else v for k, v in kwargs.items()}
            taint = merge(receiver.all_taint(), *(a.all_taint() for a in args), *(v.all_taint() for v in kwargs.values()))
            shape = format_shape(receiver.shape, args, kwargs)
            return fixed_origin(Value(taint=taint, shape=shape)) if fixed_host(shape) else Value(taint=taint, shape=shape)
        if method == "join" and args:
            return Value(taint=merge(receiver.all_taint(), args[0].all_taint()))
        if method == "difference" and args and (receiver.elements is not None or CONTAINER in receiver.tags):
            # `REQUIRED.difference(given)` of a set: the receiver's members the arguments lack, none of
            # theirs (a project object's own `difference` may return anything: not judged here)
            return Value(taint=receiver.all_taint(), tags=frozenset({CONTAINER}))
        return None

    def _compiled_strip(self, call: ir.Call, method: str, args: list[Value], kwargs: dict[str, Value]) -> Value | None:
        """`UNSAFE.sub("", name)` with `UNSAFE = re.compile(r"[^a-z0-9]+")` at module level: as
        `re.sub` with that pattern (calls._stripped_to_one_component), one path component."""
        if method != "sub" or len(args) != 2 or kwargs or self.scope.module.language != "python" \
                or not isinstance(call.func, ir.Attr) or not isinstance(call.func.value, ir.Name) \
                or not isinstance(call.args[0], ir.Const) or not isinstance(call.args[0].value, str):
            return None
        pattern = module_patterns(self.scope).get(call.func.value.id)
        if pattern is None or not strips_to_one_component(pattern, call.args[0].value):
            return None
        return Value(taint=frozenset(o.cleanse(ONE_COMPONENT) for o in args[1].all_taint()))

    def list_mutation(self, method: str, name: str, receiver: Value, args: list[Value], env: Env) -> Value:
        """`lst.pop(i)` / `lst.insert(i, v)` on a list whose elements are known: keep indices exact."""
        items = [v for _, v in sorted(receiver.elements or (), key=lambda kv: kv[0])]  # type: ignore[arg-type, return-value]
        index_value = args[0].const if args else -1
        if not isinstance(index_value, int) or isinstance(index_value, bool):
            env[name] = Value(taint=receiver.all_taint())
            return Value(taint=receiver.all_taint())
        if method == "pop":
            if not items or not -len(items) <= index_value < len(items):
                return Value(taint=receiver.taint)
            removed = items.pop(index_value)
            env[name] = Value(taint=receiver.taint, elements=tuple(enumerate(items)))
            return removed
        if len(args) > 1:
            position = max(0, min(len(items), index_value if index_value >= 0 else len(items) + index_value))
            items.insert(position, args[1])
            env[name] = Value(taint=receiver.taint, elements=tuple(enumerate(items)))
        return CLEAN


def is_list_value(value: Value) -> bool:
    """A list whose elements sit at the known indices 0..n-1."""
    if value.elements is None:
        return False
    keys = [k for k, _ in value.elements]
    return all(isinstance(k, int) and not isinstance(k, bool) for k in keys) and sorted(keys) == list(range(len(keys)))  # type: ignore[type-var]


_QUOTE_KINDS = frozenset({"xpath-injection", "sql-injection"})
_REPLACE_CLEANSES = {"'": _QUOTE_KINDS, '"': _QUOTE_KINDS, "\n": frozenset({"header-injection"}),
                     "\r\n": frozenset({"header-injection"})}


def url_built(result: Value, spec: SanitizerSpec, kwargs: dict[str, Value]) -> Value:
    """What a sanitizer returns, with the tag its model gives the result (`local-url`: a path of
    this site's own routes, unless asked for an absolute URL with `_external`) and the client text
    of the keywords that still choose the host (`route_url(..., _host=h)`): a route of this app
    is only on this site when the client did not pick the host it is written on."""
    chosen = merge(*(kwargs[name].all_taint() for name in spec.host_args if name in kwargs))
    tags = result.tags
    if spec.tag and not chosen and not truth(kwargs.get("_external", Value(const=False)).const):
        tags = tags | {spec.tag}
    return Value(taint=merge(result.taint, chosen), const=result.const, shape=result.shape, tags=tags)


def sanitized(inputs: list[Value], cleanses: frozenset[str]) -> Value:
    """The result of a sanitizer: clean for every kind it neutralises (all, for conversions)."""
    if ALL in cleanses:
        return CLEAN
    taint = merge(*(v.all_taint() for v in inputs))
    return Value(taint=frozenset(o.cleanse(cleanses) for o in taint))
