"""Expression evaluation for the taint engine: sources, sanitizers, sinks and calls.

The statement interpreter (intra.py) builds on this class; everything here computes an
abstract Value for one expression and records the sink events and project calls met.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any, Callable

from servicelens import ir
from servicelens.taint.bound_builders import BOUND_SQL, BUILDER_TAGS, bound_result, builder_of
from servicelens.taint.carriers import (SEGMENT_CLEARS, narrow_field, narrow_header, param_source_text, plain_mapping,
                                        source_origin)
from servicelens.endpoints.app_state import state_class
from servicelens.endpoints.dependencies import dependency_call
from servicelens.taint.declared import annotation_tag, class_attribute_tags
from servicelens.taint.declared_returns import returned_type
from servicelens.taint.consts import fold_binary, fold_compare, fold_unary, truth
from servicelens.taint.evaluate_support import (
    ORM_QUERY_METHODS,
    RESPONSE_FACTORIES,
    CONTAINER,
    CONTAINER_BUILDERS,
    SESSION_NAME,
    escaped_by_repr,
    formats_members_by_repr,
    percent_escaped,
    percent_shape,
)
from servicelens.taint.lookups import chained_through
from servicelens.taint.methods import MAPPING_READS, MethodSemantics, inline_callback, is_list_value, sanitized, url_built
from servicelens.taint.returned import argument_kind
from servicelens.taint.models import ALL, UPSTREAM_ANSWER
from servicelens.taint.predicates import (FIXED_ORIGIN, SQL_STATEMENT, builds_statement, fixed_host, fixed_origin, in_query,
                                          local_path, percent_url_args, query_start)
from servicelens.taint.values import CONFIGURED, is_setting
from servicelens.taint.patterns import ONE_COMPONENT, strips_to_one_component, substitution_pattern
from servicelens.taint.scope import ModuleScope
from servicelens.taint.uploads import ARCHIVE, ARCHIVE_OPENERS, declared_upload, django_upload_module, upload_name
from servicelens.taint.sinks import SinkRecorder
from servicelens.taint.stores import store_read
from servicelens.taint.summary import SPREAD, CallRecord, SinkEvent
from servicelens.taint.values import CLEAN, EMPTY, SERVER_KEYS, UNKNOWN, Origin, Taint, Value, field_read, iterated, join, merge

Env = dict[str, Value]


_URL_CHECKED = frozenset({"ssrf", "open-redirect"})


def _server_chosen_origin(first: Value, rest: Value) -> bool:
    """A string starting with a value no client can touch (configuration, a constant the engine
    cannot fold) immediately followed by a "/" begins with a server-chosen origin
    (`f"{settings.API_URL}/users/{user_id}"`): what the client adds is a path or a query on
    that host, never another host."""
    if FIXED_ORIGIN in first.tags:
        return True
    if first.const is not UNKNOWN or first.elements is not None:
        return False
    follows = rest.const if rest.const is not UNKNOWN else rest.shape
    if not isinstance(follows, str):
        return False
    taint = first.all_taint()
    if taint and all(_URL_CHECKED <= origin.cleansed for origin in taint):
        # a URL the code checked stays on a host it allows (`if not url_has_allowed_host_and_scheme(url):
        # return`); what follows a "?" or "#" is its query or fragment (after a "/", a checked "/"
        # could still make "//host")
        return follows.startswith(("?", "#"))
    if taint and not is_setting(first):
        return False
    return follows.startswith(("/", "?", "#")) or _path_written(follows)


def _path_written(follows: str) -> bool:
    """What the server writes after its base before any hole holds a path separator
    (`f"{GITHUB_API_URL}repos/{owner}/{repo}/labels"` with a base ending in "/"): the client's
    text comes after it, in the path. Not a scheme's `://` (`f"{scheme}://{host}/"`), where the
    next hole is the host."""
    written = follows.split("{}", 1)[0]
    return "/" in written and "//" not in written and not written.startswith(":")


_UPSTREAM = frozenset({UPSTREAM_ANSWER})


# Express's `res.locals`: what a middleware stores there for the handlers after it (a validated
# copy of the query, the body parsed by a schema) is read back project-wide, like a class's field
# (`("field", RESPONSE_LOCALS, name)` origins, taint/resolve.py)
RESPONSE_LOCALS = "<res.locals>"
LOCALS_TAG = "response-locals"
_CHAINED = "sql-builder"  # a query builder: what its methods return is the same builder
# JavaScript array methods that return members of the array a callback picks, never the callback's own values
_SELECTORS = frozenset({"find", "findLast", "filter"})

class CallEvaluator(SinkRecorder, MethodSemantics):
    def __init__(self, scope: ModuleScope, function: ir.Function | None) -> None:
        self.scope = scope
        self.models = scope.models
        self.function = function
        self.local_names: set[str] = set()
        self.local_imports: dict[str, str] = {}
        self._sinks: dict[tuple[str, int, int], SinkEvent] = {}
        self._calls: dict[tuple[int, int, str], CallRecord] = {}
        # per recorded call (its index): the kind of what it hands each parameter (taint/returned.py)
        self._arg_kinds: dict[int, dict[str, str]] = {}
        self._outbound = self._outbound_client_class()  # once per function, not per parameter
        handler = scope.handlers.get(function.qualname) if function is not None else None
        self.handler = handler
        self.class_key = f"{scope.name}.{function.class_name}" if function is not None and function.class_name else ""
        self.field_stores: dict[str, Taint] = {}
        self.locals_stores: dict[str, Taint] = {}  # `res.locals.<name> = value`
        self._keyed = None
        self._eval_by_type = _eval_table(type(self))

    # ------------------------------------------------------------ results
    def call_records(self) -> tuple[CallRecord, ...]:
        return tuple(sorted(self._calls.values(), key=lambda c: c.index))

    # ------------------------------------------------------------ parameters
    def initial_params(self) -> Env:
        env: Env = {}
        assert self.function is not None
        sources = dict(self.handler.source_params) if self.handler else \
            dict(self.scope.dependency_sources.get(self.function.qualname, ()))
        for param in self.function.params:
            if param.name in ("self", "cls") and self.function.class_name:
                env[param.name] = Value(tags=frozenset({"self"}) | self._framework_self_tags())
            elif self._is_request_param(param):
                declared = annotation_tag(self.scope, param.annotation) if self.scope.module.language != "python" \
                    else None
                # `ctx: AppContext` is Koa's name for the request, and also what its type declares
                env[param.name] = Value(tags=frozenset({"request"}) | (
                    {declared} if declared and declared.startswith("class:") else set()))
            elif param.name in self.models.response_param_names:
                env[param.name] = Value(tags=frozenset({"http-response"}))
            elif param.name in sources and self.handler is not None and param.name in self.handler.typed_params:
                env[param.name] = Value()  # parsed strictly by the framework: no payload can get through
            elif self.handler is not None and any(member[0] == param.name for member in self.handler.source_members):
                env[param.name] = self._member_sources(param)
            elif param.name in sources:
                label = sources[param.name]
                origin = source_origin("remote-input", label, param.line)
                if self.handler is not None and param.name in self.handler.segment_params:
                    origin = origin.cleanse(SEGMENT_CLEARS)  # one URL segment: no `/` to walk a path with
                # also the caller's argument: a function taken for a view may be a helper views
                # call (project-wide the URLconfs may say no URL fills it: analysis.url_kwargs)
                env[param.name] = Value(taint=frozenset({origin.step(
                    self.scope.module.path, param.line, param_source_text(label, param.name),
                    self.scope.module.line_text(param.line)), Origin(("par", param.name))}),
                    tags=declared_upload(annotation_tag(self.scope, param.annotation)))
            elif self.scope.module.language == "python" and (resolved := dependency_call(param)) is not None:
                # `host: str = Depends(target)`: FastAPI passes what `target` returns for this request
                env[param.name] = self.eval(resolved, env)
            else:
                declared = annotation_tag(self.scope, param.annotation)
                env[param.name] = Value(taint=frozenset({Origin(("par", param.name))}),
                                        tags=frozenset({declared}) if declared else frozenset())
        return env

    def _member_sources(self, param: ir.Param) -> Value:
        """A parameter of which only some members are client data (`({ input, ctx })` of a tRPC
        resolver): those members are sources, the rest is the parameter's own."""
        assert self.handler is not None
        elements = []
        for name, member, label in self.handler.source_members:
            if name == param.name:
                origin = source_origin("remote-input", label, param.line)
                elements.append((member, Value(taint=frozenset({origin.step(
                    self.scope.module.path, param.line, param_source_text(label, member),
                    self.scope.module.line_text(param.line))}))))
        return Value(taint=frozenset({Origin(("par", param.name))}), elements=tuple(elements))

    def _framework_self_tags(self) -> frozenset[str]:
        """Tornado handlers: `self` is the request handler (`self.get_argument`, `self.write`)."""
        if self.function is None or not self.function.class_name:
            return frozenset()
        cls = self._own_class()
        if cls is None or not self.scope.memo("imports-tornado", lambda: any(
                target.startswith("tornado") for target in self.scope.imports.values())):
            return frozenset()
        bases = [(ir.dotted_name(b) or "").rsplit(".", 1)[-1] for b in cls.bases]
        return frozenset({"tornado-handler"}) if any(b.endswith("Handler") for b in bases) else frozenset()

    def _is_request_param(self, param: ir.Param) -> bool:
        if self._outbound:
            return False  # `handle_request(self, request)` of an httpx transport: our own outgoing request
        annotation = ir.dotted_name(param.annotation) if param.annotation is not None else None
        if annotation:
            annotation = self.scope.qualify(annotation, None, set()) or annotation
        if annotation and any(annotation.startswith(p) for p in _OUTBOUND_REQUEST_TYPES):
            return False
        if param.name in self.models.request_param_names:
            return True
        if self.handler is not None and self.handler.request_param == param.name:
            return True
        if param.annotation is not None:
            name = ir.dotted_name(param.annotation) or ""
            return name in self.models.request_param_annotations or \
                name.rsplit(".", 1)[-1] in self.models.request_param_annotations
        return False

    def _outbound_client_class(self) -> bool:
        """A method of an HTTP *client* transport/adapter/auth hook (subclass of an httpx or
        requests class): its `request` is the one we are sending, not one we received."""
        if self.function is None or not self.function.class_name:
            return False
        cls = self._own_class()
        if cls is None:
            return False
        for base in cls.bases:
            dotted = ir.dotted_name(base) or ""
            qualified = self.scope.qualify(dotted, None, set()) or dotted
            if qualified.split(".", 1)[0] in ("httpx", "requests", "urllib3", "aiohttp") and not \
                    qualified.startswith("aiohttp.web"):
                return True
        return False

    def _declared_attributes(self) -> dict[str, str]:
        """Tags of this method's class attributes from their declared types (taint/declared.py)."""
        assert self.function is not None
        return self.scope.memo("declared-attributes", lambda: class_attribute_tags(self.scope)) \
            .get(self._this_class() or "", {})

    def project_instance(self, call: ir.Call, receiver: Value) -> bool:
        """The call's receiver is an instance of a project class: tagged so, or a member of `this`
        declared with one (`constructor(private readonly users: UserService)`)."""
        if any(tag.startswith("class:") for tag in receiver.tags):
            return True
        member = call.func.value if isinstance(call.func, ir.Attr) else None
        if not (isinstance(member, ir.Attr) and isinstance(member.value, ir.Name) and member.value.id == "self"
                and self.function is not None and self._this_class()):
            return False
        return self._declared_attributes().get(member.attr, "").startswith("class:")

    def _this_class(self) -> str | None:
        """The class whose instance `this` is: a method's, or, in JavaScript, that of the method a
        closure is written in (`$tx(async (prisma) => { this.knex... })`: an arrow function keeps
        the `this` of the place it is defined)."""
        function = self.function
        if function is None or function.class_name or self.scope.module.language == "python":
            return function.class_name if function is not None else None
        by_qualname = self.scope.memo("functions-by-qualname",
                                      lambda: {f.qualname: f for f in self.scope.module.functions})
        while function is not None and not function.class_name and function.parent:
            function = by_qualname.get(function.parent)
        return function.class_name if function is not None else None

    def _own_class(self) -> ir.ClassDef | None:
        """The class the function is a method of (the first of that name, as a scan would find);
        every method asks, so the module's classes are indexed once per file, not scanned."""
        assert self.function is not None
        return self.scope.memo("classes-by-qualname", lambda: _first_by_qualname(self.scope.module.classes)) \
            .get(self.function.class_name)

    # ------------------------------------------------------------ names
    def _builds_own_class(self, func: ir.Expr) -> bool:
        """`cls(...)` in a method whose first parameter is `cls` (a classmethod: an alternative
        constructor, `Service.from_app(app)`): an instance of the enclosing class, as `Service(...)`
        would be, so what the method returns is typed and a call on it finds that class's method."""
        function = self.function
        return isinstance(func, ir.Name) and func.id == "cls" and function is not None \
            and bool(function.class_name) and bool(function.params) and function.params[0].name == "cls" \
            and self.scope.module.language == "python"

    def qualify_expr(self, expr: ir.Expr) -> str | None:
        dotted = ir.dotted_name(expr)
        if dotted is None:
            return None
        head = dotted.split(".", 1)[0]
        if head in self.local_imports:
            rest = dotted[len(head):]
            return self.local_imports[head] + rest
        return self.scope.qualify(dotted, self.function, self.local_names)

    def is_constant_expr(self, expr: ir.Expr) -> bool:
        if isinstance(expr, ir.Const):
            return True
        if isinstance(expr, (ir.Seq,)):
            return all(self.is_constant_expr(e) for e in expr.elts)
        if isinstance(expr, ir.DictExpr):
            return all(k is not None and self.is_constant_expr(k) for k in expr.keys)
        if isinstance(expr, (ir.Name, ir.Attr)):
            name = ir.dotted_name(expr) or ""
            if isinstance(expr, ir.Name) and expr.id in self.local_names:
                return False
            return name.isupper() or name.split(".")[-1].isupper() or name in self.scope.globals_env
        return False

    # ------------------------------------------------------------ expressions
    def eval(self, expr: ir.Expr, env: Env) -> Value:
        handler = self._eval_by_type.get(type(expr))
        if handler is not None:
            return handler(self, expr, env)
        children = [self.eval(c, env) for c in ir.child_exprs(expr)]
        return Value(taint=merge(*(c.all_taint() for c in children)))

    def _eval_const(self, expr: ir.Const, env: Env) -> Value:
        return Value(const=expr.value, shape=expr.value if isinstance(expr.value, str) else None)

    def _eval_subscript(self, expr: ir.Subscript, env: Env) -> Value:
        stored = self._app_state(expr)
        if stored is not None:
            return stored
        base = self.eval(expr.value, env)
        key = self.eval(expr.index, env)
        if key.const is not UNKNOWN and isinstance(key.const, (str, int)) and not isinstance(key.const, bool):
            found = base.element(key.const)
            if base.elements is None and isinstance(key.const, str) and found.taint:
                found = dataclasses.replace(found, taint=field_read(found.taint, key.const))  # `build(ids)["clause"]`
            return dataclasses.replace(found, taint=narrow_header(found.taint, key.const)) if found.taint else found
        # an element picked by a random index is as guessable as the index (`chars[rand * n]`)
        picked = frozenset(o for o in key.all_taint() if o.base[:2] == ("src", "weak-random"))
        return Value(taint=merge(base.all_taint(), picked), tags=base.tags & {"request"})

    def _eval_binop(self, expr: ir.BinOp, env: Env) -> Value:
        return self.combine_binary(expr.op, self.eval(expr.left, env), self.eval(expr.right, env))

    def _eval_unary(self, expr: ir.Unary, env: Env) -> Value:
        operand = self.eval(expr.operand, env)
        if expr.op == "not":
            return Value(const=fold_unary("not", operand.const))
        return Value(taint=operand.taint, const=fold_unary(expr.op, operand.const))

    def _eval_ifexp(self, expr: ir.IfExp, env: Env) -> Value:
        test = self.eval(expr.test, env)
        decided = truth(test.const)
        if decided is not None:
            return self.eval(expr.body if decided else expr.orelse, env)
        return join(self.eval(expr.body, env), self.eval(expr.orelse, env))

    def _eval_seq(self, expr: ir.Seq, env: Env) -> Value:
        elements = tuple((i, self.eval(e, env)) for i, e in enumerate(expr.elts))
        return Value(elements=elements, const=_const_seq(expr.kind, elements))

    def _eval_inner(self, expr: ir.Await | ir.Starred, env: Env) -> Value:
        return self.eval(expr.value, env)

    def _eval_lambda(self, expr: ir.Lambda, env: Env) -> Value:
        return CLEAN

    def eval_name(self, expr: ir.Name, env: Env) -> Value:
        if expr.id in env:
            return env[expr.id]
        if expr.id in self.local_names:
            return CLEAN
        if expr.id in self.scope.globals_env:
            return self.scope.globals_env[expr.id]
        qualified = self.qualify_expr(expr) or ""
        if qualified in self.models.request_objects:
            return Value(tags=frozenset({"request"}))
        if qualified in self.models.session_objects or (SESSION_NAME.search(expr.id) and qualified):
            return Value(tags=frozenset({"session"}))
        return CLEAN

    def _app_state(self, expr: ir.Subscript | ir.Attr) -> Value | None:
        """`request.app["bookings"]`, `request.app.state.bookings`: the instance the application
        stored under that key at start-up (endpoints.app_state), so its methods can be looked up."""
        built = state_class(expr, self.scope.app_state) if self.scope.app_state else None
        if built is None:
            return None
        # a library type the models know (`aiohttp.ClientSession`): its instance tag, by its name
        tags = {tag for api, tag in self.models.instances.items() if api.rsplit(".", 1)[-1] == built}
        return Value(tags=frozenset(tags if len(tags) == 1 else {f"class:{built}"}))

    def eval_attr(self, expr: ir.Attr, env: Env) -> Value:
        stored = self._app_state(expr) if expr.attr != "state" else None
        if stored is not None:
            return stored
        if isinstance(expr.value, ir.Name) and expr.value.id not in env:
            qualified = self.qualify_expr(expr)
            if qualified in self.models.request_objects:
                return Value(tags=frozenset({"request"}))
            if qualified in self.models.session_objects:
                return Value(tags=frozenset({"session"}))
            if expr.value.id == "self" and self.scope.module.language != "python" and self.function is not None \
                    and self._this_class():
                # `this.http` of a member declared `private readonly http: AxiosInstance`: a modelled
                # library object (the project's own classes are followed by name, `Class.member`)
                declared = self._declared_attributes().get(expr.attr)
                if declared and not declared.startswith("class:"):
                    return Value(tags=frozenset({declared}))
        found = self.attribute_of(self.eval(expr.value, env), expr)
        # `request.META.HTTP_REFERER` (a mapping read as attributes): that header's input; `req.file.path`
        # (where the upload middleware saved it): none of the client's
        return dataclasses.replace(found, taint=narrow_field(narrow_header(found.taint, expr.attr), expr.attr)) \
            if found.taint else found

    def attribute_of(self, base: Value, expr: ir.Attr) -> Value:
        if self.scope.module.language != "python" and "http-response" in base.tags and expr.attr == "locals":
            return Value(tags=frozenset({LOCALS_TAG}))
        if LOCALS_TAG in base.tags:
            return Value(taint=frozenset({Origin(("field", RESPONSE_LOCALS, expr.attr))}))
        if "request" in base.tags:
            if expr.attr in self.models.request_views:
                return base
            label = self.models.request_attributes.get(expr.attr)
            if label is not None:
                origin = source_origin("remote-input", label, expr.line)
                code = self.scope.module.line_text(expr.line)
                step = origin.step(self.scope.module.path, expr.line, f"{label} read from the request", code)
                whole = {CONTAINER} if self.scope.module.language == "python" and plain_mapping(label) else set()
                return Value(taint=frozenset({step}), tags=frozenset({"request-data"} | whole))
            if expr.attr in self.models.session_attributes:
                return Value(tags=frozenset({"session"}))
            if self.scope.module.language == "python" or not _instance_classes(base):
                return CLEAN
        if expr.attr in _METADATA_ATTRS:
            return CLEAN  # a model class, its options, or an integer key: never client text
        if expr.attr == "length" and self.scope.module.language != "python":
            # `ids.length` of a client's list or string is a count: a number pasted into a statement
            # (`$${offset + ids.length}`) or a path carries no quote, separator or host
            return CLEAN
        if "self" in base.tags and expr.attr == "request":
            return Value(tags=frozenset({"request"}))
        if "self" in base.tags and self.class_key:
            known = dict(base.elements or ())
            if (".", expr.attr) in known:
                return known[(".", expr.attr)]
            # set by another method of the class (or not at all): resolved project-wide
            declared = self._declared_attributes().get(expr.attr)
            return Value(taint=frozenset({Origin(("field", self.class_key, expr.attr))}),
                         tags=frozenset({declared}) if declared else frozenset())
        if base.elements is not None:
            if self.scope.module.language != "python" and (".", expr.attr) not in dict(base.elements):
                return base.element(expr.attr)  # JS/TS: `o.url` is `o['url']`, the object literal's key
            return base.element((".", expr.attr))
        if "lookup" in base.tags and expr.attr in _KEY_ATTRS:
            return CLEAN  # the record's own key, assigned by the database, not the text it was looked up by
        kept = base.tags & {"logger", "http-client", "db-connection", "mongo", BOUND_SQL}
        if self.scope.module.language != "python":
            # `deps.orders` of a `deps: Deps` (a declared type or a project class): the member is
            # looked up as `Deps.orders`, what that type declares it holds (javascript_file._member_types)
            kept |= {f"class:{cls}.{expr.attr}" for cls in _instance_classes(base) if _declared_type(cls)}
        elif expr.attr == "name" and base.taint and ARCHIVE not in base.tags and self.scope.memo(
                "django-upload-module", lambda: django_upload_module(self.scope.imports)):
            return Value(taint=upload_name(base.taint), tags=kept)  # an uploaded file's base name
        return Value(taint=field_read(base.taint, expr.attr), tags=kept)

    def eval_fstring(self, expr: ir.FormattedString, env: Env) -> Value:
        parts = [self.eval(p, env) for p in expr.parts]
        if self.scope.module.language == "python":
            parts = [escaped_by_repr(p) if formats_members_by_repr(p) else p for p in parts]
        return self.text_of_parts(parts)

    def text_of_parts(self, parts: list[Value]) -> Value:
        """The text the parts make, one after the other: its shape, and the taint of each part,
        marked as in the query where it follows a `?` (an f-string, a template literal, or the
        members of `[base, '?code=', code].join('')`)."""
        taint = merge(*(p.all_taint() if i <= query_start(parts) else in_query(p.all_taint())
                        for i, p in enumerate(parts)))
        if all(p.const is not UNKNOWN for p in parts):
            text = "".join(str(p.const) for p in parts)
            return Value(const=text, shape=text)
        shape = "".join(p.shape if p.shape is not None else "{}" for p in parts)
        fixed = (len(parts) > 1 and _server_chosen_origin(parts[0], parts[1])) or fixed_host(shape) or local_path(shape)
        return fixed_origin(Value(taint=taint, shape=shape)) if fixed else Value(taint=taint, shape=shape)

    def combine_binary(self, op: str, left: Value, right: Value) -> Value:
        const = fold_binary(op, left.const, right.const)
        local_start = False
        if op == "%":  # `"%s#%s" % (reverse("list"), name)`: what lands after the `#` is the fragment
            right, local_start = percent_url_args(left.const, right)
        right_taint = (percent_escaped(left.const, right) if op == "%" else right).all_taint()
        if op == "+" and right_taint and query_start([left]) == 0:
            right_taint = in_query(right_taint)  # `url + "?" + params`: the client text is the query
        # `a - b` is a number or the members of `a` that `b` lacks: nothing of `b` is in it
        taint = left.all_taint() if op == "-" else merge(left.all_taint(), right_taint)
        shape = None
        if op == "+":
            shape = _concat_shape(left, right)
        elif op == "%":
            shape = percent_shape(left.shape, right)
        if const is not UNKNOWN:
            return Value(const=const, shape=const if isinstance(const, str) else None)
        if op == "+" and left.elements is not None and right.elements is not None:
            return Value(taint=taint)
        if op == "/" and "path" in (left.tags | right.tags):  # pathlib: base / name is still a Path
            return Value(taint=taint, tags=frozenset({"path"}))
        if op in ("-", "|", "&") and CONTAINER in left.tags:  # set algebra keeps a set
            return Value(taint=taint, tags=frozenset({CONTAINER}))
        if (op in ("+", "%") and "local-url" in left.tags) or local_start:
            # `reverse("checks") + "?" + qs`: whatever follows a path of this site stays on this site
            return Value(taint=taint, shape=shape, tags=frozenset({"local-url"}))
        if (op == "+" and _server_chosen_origin(left, right)) or (op in ("+", "%") and (fixed_host(shape)
                                                                                         or local_path(shape))):
            return fixed_origin(Value(taint=taint, shape=shape))
        return Value(taint=taint, shape=shape)

    def boolop_operands(self, expr: ir.BoolOp, env: Env) -> list[Value]:
        return [self.eval(v, env) for v in expr.values]

    def eval_boolop(self, expr: ir.BoolOp, env: Env) -> Value:
        values = self.boolop_operands(expr, env)
        for value in values:
            decided = truth(value.const)
            if decided is None:
                break
            if decided == (expr.op == "or"):
                return value
        else:
            return values[-1]
        if expr.op == "and":
            # `ok(x) && x`, `a and b`: every operand before the last is the result only when it is falsy
            # (`false`, `""`, `None`, `0`), which carries no text of the client's
            values = values[-1:]
        result = values[0]
        for value in values[1:]:
            result = join(result, value)
        return Value(taint=result.all_taint(), shape=result.shape, tags=result.tags)

    def eval_compare(self, expr: ir.Compare, env: Env) -> Value:
        left = self.eval(expr.left, env)
        const: object = UNKNOWN
        for op, right_expr in zip(expr.ops, expr.comparators):
            right = self.eval(right_expr, env)
            result = fold_compare(op, left.const, right.const)
            if result is UNKNOWN:
                return Value()
            if result is False:
                return Value(const=False)
            const, left = result, right
        return Value(const=const)

    def eval_dict(self, expr: ir.DictExpr, env: Env) -> Value:
        elements: list[tuple[object, Value]] = []
        rest: Taint = EMPTY
        for key_expr, value_expr in zip(expr.keys, expr.values):
            value = self.eval(value_expr, env)
            key = self.eval(key_expr, env) if key_expr is not None else None
            if key is not None and isinstance(key.const, (str, int)) and not isinstance(key.const, bool):
                elements.append((key.const, value))
                if isinstance(key.const, str) and not _measure(value_expr):
                    self.on_named_value(key.const, value, value_expr.line)
            else:
                rest = merge(rest, value.all_taint(), key.all_taint() if key is not None else EMPTY)
        return Value(taint=rest, elements=tuple(elements))

    def eval_comprehension(self, expr: ir.Comprehension, env: Env) -> Value:
        inner = dict(env)
        for target, iterable in zip(expr.targets, expr.iters):
            item = iterated(self.eval(iterable, inner))
            for node in ir.walk_expr(target):
                if isinstance(node, ir.Name):
                    inner[node.id] = Value(taint=item.all_taint(), tags=item.tags & {"request"})
        for cond in expr.conds:
            self.eval(cond, inner)
        key = self.eval(expr.elt, inner).all_taint()
        if expr.value is None:
            return Value(taint=key)
        # `{k: data[k] for k in EDITABLE_FIELDS if k in data}`: the client's values under the server's
        # keys; iterating it (or its `.keys()`) yields only those keys
        return Value(taint=merge(key, self.eval(expr.value, inner).all_taint()),
                     tags=frozenset({SERVER_KEYS}) if not key else frozenset())

    # ------------------------------------------------------------ calls
    def eval_call(self, call: ir.Call, env: Env) -> Value:
        result = self._eval_call(call, env)
        if result.taint and self._over_server_keys(call, env):
            return Value()  # `enumerate(changes)`, `sorted(changes)`, `changes.keys()`: the server's keys
        if self.scope.module.language == "python" and isinstance(call.func, ir.Name) \
                and call.func.id in CONTAINER_BUILDERS and call.func.id not in env:
            result = dataclasses.replace(result, tags=result.tags | {CONTAINER})
        made = self.models.method_instances.get(call.func.attr) if isinstance(call.func, ir.Attr) else None
        if made is not None and made not in result.tags:
            # `this.repo.createQueryBuilder('o')` on a declared or project-held receiver makes the
            # same kind of object as on an unknown one (`db.collection('users')`)
            result = dataclasses.replace(result, tags=result.tags | {made})
        if result.taint and isinstance(call.func, ir.Attr) and call.func.attr == "get" and call.args \
                and isinstance(call.args[0], ir.Const):
            # `request.headers.get("Referer")`, `request.META.get("HTTP_REFERER", "/")`: that header's input
            result = dataclasses.replace(result, taint=narrow_header(result.taint, call.args[0].value))
        if isinstance(call.func, ir.Attr) and _LOOKUP_METHOD.match(call.func.attr) and result.elements is None:
            # `repo.get_one(slug)`: a stored record found by the client's key; its `.id` is the database's
            return Value(taint=result.taint, const=result.const, shape=result.shape, tags=result.tags | {"lookup"})
        return result

    def _over_server_keys(self, call: ir.Call, env: Env) -> bool:
        """A builtin that walks a mapping's keys (`enumerate`, `sorted`, `list` ... of it, or its
        `.keys()`), applied to a local whose keys all come from the server."""
        if self.scope.module.language != "python":
            return False
        if isinstance(call.func, ir.Name) and call.func.id in _KEY_WALKERS and call.func.id not in env:
            subject = call.args[0] if call.args else None
        elif isinstance(call.func, ir.Attr) and call.func.attr == "keys" and not call.args:
            subject = call.func.value
        else:
            return False
        value = env.get(subject.id) if isinstance(subject, ir.Name) else None
        return value is not None and (SERVER_KEYS in value.tags or _literal_keys(value))

    def _eval_call(self, call: ir.Call, env: Env) -> Value:
        receiver = self.eval(call.func.value, env) if isinstance(call.func, ir.Attr) else None
        result = self._eval_call_on(call, env, receiver)
        if receiver is not None and _CHAINED in receiver.tags and _CHAINED not in result.tags:
            # every call of a query builder's chain is that builder (`qb.leftJoin(...).where(...)`),
            # whichever path judged the call (a declared member's method, a project lookup)
            result = dataclasses.replace(result, tags=result.tags | {_CHAINED})
        return result

    def _eval_call_on(self, call: ir.Call, env: Env, receiver: Value | None) -> Value:
        qualified = self.qualify_expr(call.func) if not self._builds_own_class(call.func) \
            else f"{self.scope.name}.{self.function.class_name}"  # type: ignore[union-attr]
        method = call.func.attr if isinstance(call.func, ir.Attr) else None
        callee_value = self.attribute_of(receiver, call.func) if receiver is not None and isinstance(call.func, ir.Attr) else CLEAN
        args = [self.eval(a, env) for a in call.args]
        if call.kwargs:  # most calls have no keyword: no comprehension, no generator
            kwargs = {kw.name: self.eval(kw.value, env) for kw in call.kwargs if kw.name is not None}
            spread = merge(*(self.eval(kw.value, env).all_taint() for kw in call.kwargs if kw.name is None))
        else:
            kwargs, spread = {}, EMPTY
        self.check_sinks(call, qualified, method, receiver, args, kwargs)
        if qualified is not None and qualified in self.models.request_context_checks:
            return Value(const=True)  # what a function does while a request is served is what matters here
        if self.scope.module.language != "python":
            judged = self._javascript_call(call, method, receiver, callee_value, args, env)
            if judged is not None:
                if qualified is not None and self.scope.is_project_candidate(qualified):
                    # `repo.findOne(id)` of a module object the project wrote: its call stays on record
                    # (the call graph, and what the callee's sinks see of its arguments)
                    self.record_call(call, qualified, args, {}, EMPTY)
                return judged
        if method is not None and receiver is not None and method in self.models.method_sources:
            source = self.models.method_sources[method]
            if source.receiver_tag in receiver.tags:
                origin = source_origin(source.kind, source.label, call.line)
                step = origin.step(self.scope.module.path, call.line, f"{source.label} read from the request",
                                   self.scope.module.line_text(call.line))
                return Value(taint=frozenset({step}))
        if receiver is not None and self.scope.module.language == "python" \
                and store_read(call, self.scope, self.function, receiver.tags):
            return CLEAN  # `cache.get(key)`, `await redis.get(f"otp:{cid}")`: what the server stored (taint.stores)
        if qualified is not None:
            result = self.known_call(call, qualified, args, kwargs)
            if result is not None:
                return result
        # rows an ORM chain returns stay the database's (below), not a statement that carries the filter's taint
        statement = builds_statement(call, qualified, receiver) and \
            not (receiver is not None and SQL_STATEMENT not in receiver.tags and _is_orm_chain(call.func))
        if not statement and receiver is not None and method is not None and \
                (qualified is None or receiver.is_tainted() or receiver.tags):
            result = self.method_call(call, method, receiver, args, kwargs, env)
            if result is not None:
                return result
        callee_taint = merge(receiver.all_taint(), callee_value.all_taint()) if receiver is not None else EMPTY
        passed = args[1:] if _mapping_lookup(call, method, receiver, qualified is None or
                                             self.scope.is_project_candidate(qualified)) else args
        fallback = merge(callee_taint, spread, *(a.all_taint() for a in passed), *(v.all_taint() for v in kwargs.values()))
        if statement:  # `stmt = select(User).filter_by(name=name)`: parameters SQLAlchemy binds
            # a query builder's `.where(...)` is still that builder for the calls chained after it
            return Value(taint=fallback, tags=frozenset({SQL_STATEMENT}))
        if method in ORM_QUERY_METHODS and (_is_orm_chain(call.func) or _keyword_lookup(method, receiver, args, kwargs)) \
                and not (receiver is not None and "request-data" in receiver.tags):
            # rows from the database, not request data (filters do not leak into results); aiohttp's
            # `request.query.get("sort")` only looks like `Model.query.get(id)`
            return CLEAN
        if qualified is not None and qualified.rsplit(".", 1)[-1] in RESPONSE_FACTORIES:
            return Value(taint=fallback, tags=frozenset({"response"}))
        if spread:  # `repo.search(**request.args)`: the unpacked mapping may bind any parameter
            kwargs = {**kwargs, SPREAD: Value(taint=spread)}
        declared_of = _instance_classes(receiver) if receiver is not None and qualified is not None \
            and "self" not in receiver.tags and _is_self_chain(call.func) else ()
        if declared_of and isinstance(call.func, ir.Attr):
            # `self.repo.page(sort)` where `self.repo` is declared a `Repo`: the method of that class
            return self._record_on_classes(call, declared_of, call.func.attr, args, kwargs, fallback)
        if qualified is not None and self.scope.is_project_candidate(qualified):
            bound = isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) \
                and call.func.value.id in ("self", "cls")
            result = self.record_call(call, qualified, args, kwargs, fallback, self_offset=int(bound))
            # `Repo(db)` (or `request_wrapper(request)`): remember what made this value, so a method
            # called on it can be looked up as `<that>.<method>`; for a plain function the lookup
            # simply fails later and the call falls back to passing taint through
            tags = {f"class:{qualified}"} | (result.tags & {CONFIGURED}) | self._declared_return_tags(qualified)
            if qualified.rsplit(".", 1)[-1][:1].isupper() and not call.args and not kwargs.keys() & _KEY_ATTRS:
                tags.add("lookup")  # `Users(name=form_name)`: a new row, whose id the database assigns
            return Value(taint=result.taint, tags=frozenset(tags))
        instance_of = _instance_classes(receiver) if receiver is not None and qualified is None else ()
        if not instance_of and qualified is None and method not in self.models.method_instances \
                and isinstance(call.func, ir.Attr) and self.scope.module.language == "python":
            instance_of = self._held_members(call.func, env)
        if instance_of and isinstance(call.func, ir.Attr):
            return self._record_on_classes(call, instance_of, call.func.attr, args, kwargs, fallback)
        if qualified is None and isinstance(call.func, ir.Attr) and receiver is not None and "self" in receiver.tags:
            return self.record_call(call, f"{self.scope.name}.{self.function.class_name if self.function else ''}.{call.func.attr}",
                                    args, kwargs, fallback, self_offset=1)
        made = self.models.method_instances.get(method) if method is not None else None
        if made is not None:
            return Value(taint=fallback, tags=frozenset({made}))
        kept = receiver.tags & {"logger", "http-client", "db-connection", "xml-unsafe", "xml-parser", "path", "response",
                                "http-response", ARCHIVE} if receiver else frozenset()
        if qualified in ARCHIVE_OPENERS:
            kept = kept | {ARCHIVE}  # its members' names are paths the archive stores (taint.uploads)
        return Value(taint=fallback, tags=kept)

    def _javascript_call(self, call: ir.Call, method: str | None, receiver: Value | None, callee_value: Value,
                         args: list[Value], env: Env) -> Value | None:
        """What a JavaScript library call returns where the library, not the text of the call,
        decides it (taint.bound_builders, handle escapers, array selectors, rows read from a
        database, joined arrays); None for any other call."""
        callee = callee_value if isinstance(call.func, ir.Attr) else self.eval(call.func, env)
        if isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Name) and call.func.value.id == "self" \
                and self.function is not None and self._this_class() \
                and self._declared_attributes().get(call.func.attr) == BOUND_SQL:
            callee = Value(tags=frozenset({BOUND_SQL}))  # `this.knex(table)` of a member declared `Knex`
        builder = builder_of(receiver, callee)
        if builder is not None:  # `knex(table).where('name', name)`: values bound, not SQL text
            result = bound_result(builder, method, args, self.models.method_sinks)
            if receiver is not None and receiver.tags & BUILDER_TAGS and isinstance(call.func, ir.Attr) \
                    and isinstance(call.func.value, ir.Name) and result.all_taint() - receiver.all_taint():
                # knex and TypeORM builders change in place: `qb.whereRaw(text)` pastes the text into
                # the statement `qb` renders later, whether or not the builder it returns is used
                env[call.func.value.id] = result
            return result
        escaped = self.handle_escaper(call, method, args) if method is not None else None
        if escaped is not None:
            return escaped
        if method in _SELECTORS and receiver is not None and call.args \
                and inline_callback(self.scope.module, call.args[0]) is not None:
            # `metadata.columns.find(col => col.propertyName === field)`: one of the receiver's members
            # (or some of them); the client's value only chose which
            return Value(taint=receiver.all_taint())
        if method in ("find", "findAndCount") and receiver is not None and "self" not in receiver.tags \
                and call.args and isinstance(call.args[0], ir.DictExpr) \
                and not any(cls.rsplit(".", 1)[-1][:1].isupper() for cls in _instance_classes(receiver)):
            # `repo.find({ where: { tenant_id, id: In(ids) } })`: a repository's (TypeORM, MikroORM) or a
            # collection's query by an options object, so the stored rows (an array's `find` takes a function)
            return CLEAN
        read = self.models.method_sanitizers.get(method) if method is not None else None
        if read is not None and ALL in read.cleanses and not read.receiver_tag and receiver is not None \
                and "self" not in receiver.tags \
                and not any(cls.rsplit(".", 1)[-1][:1].isupper() for cls in _instance_classes(receiver)):
            # `prisma.tableMeta.findUniqueOrThrow({ where: { id } })`, also on a member of a project
            # class (`this.prismaService.tableMeta`): the stored row, not the client's id; a project
            # class's own method of that name (`this.usersRepository.findOne`) is followed instead
            return CLEAN
        if method == "join" and receiver is not None and not receiver.taint and is_list_value(receiver) \
                and (not args or isinstance(args[0].const, str)):
            # `['https://slack.com/api/oauth.v2.access', `?code=${code}`].join('')`: the members in
            # order with the separator (',' when none is given) between them
            separator = Value(const=args[0].const if args else ",", shape=args[0].const if args else ",")
            members = [v for _, v in sorted(receiver.elements or (), key=lambda kv: kv[0])]  # type: ignore[arg-type, return-value]
            parts = [part for i, member in enumerate(members) for part in ((separator, member) if i else (member,))]
            return self.text_of_parts(parts) if parts else Value(const="", shape="")
        return None

    def _held_members(self, func: ir.Attr, env: Env) -> tuple[str, ...]:
        """`svc.positions` in `svc.positions.history(...)` where `svc` is an instance of a project
        class (`svc: VehicleService`): the member under its class, `VehicleService.positions`, which
        the resolver finds on the class the member is declared to hold (taint.declared.member_classes,
        filed with the class bases). A member of `self` is the class's own (its declared attributes)."""
        holder = func.value
        if not isinstance(holder, ir.Attr) or (isinstance(holder.value, ir.Name) and holder.value.id in ("self", "cls")) \
                or ir.dotted_name(holder.value) is None:
            return ()  # a call in the chain (`make_service(db).repo.find(x)`) is not evaluated twice
        owners = _instance_classes(self.eval(holder.value, env))
        return tuple(f"{cls}.{holder.attr}" for cls in owners
                     if (last := cls.rsplit(".", 1)[-1])[:1].isupper() and not last.isupper())

    def _record_on_classes(self, call: ir.Call, classes: tuple[str, ...], method: str, args: list[Value],
                           kwargs: dict[str, Value], fallback: Taint) -> Value:
        """`x.m()` on a value of one of `classes`: a call of each class's `m` (any may run), so
        the call graph, and what it decides, never depends on which one a set yields first."""
        results = [self.record_call(call, f"{cls}.{method}", args, kwargs, fallback, self_offset=1) for cls in classes]
        joined = results[0]
        for other in results[1:]:
            joined = join(joined, other)
        return joined

    def _declared_return_tags(self, qualified: str) -> set[str]:
        """`get_client("webhooks")` declared `-> httpx.AsyncClient` (in any module): the instance tag
        the models give that type (`http-client`), so the methods called on the result are judged
        as that library's (taint.declared_returns)."""
        if not self.scope.declared_returns:
            return set()
        declared = returned_type(qualified, self.scope.declared_returns)
        tag = self.models.instances.get(declared) if declared is not None else None
        return {tag} if tag is not None else set()

    def known_call(self, call: ir.Call, qualified: str, args: list[Value], kwargs: dict[str, Value]) -> Value | None:
        models = self.models
        source = models.call_sources.get(qualified)
        if source is not None:
            origin = source_origin(source.kind, source.label, call.line)
            step = origin.step(self.scope.module.path, call.line, f"value from {source.label}",
                               self.scope.module.line_text(call.line))
            return Value(taint=frozenset({step}))
        sanitizer = models.call_sanitizers.get(qualified)
        chosen_peer = sanitizer is not None and self.peer_chosen_by_client(call, qualified, None, None, args, kwargs)
        if chosen_peer and ALL in sanitizer.cleanses:  # type: ignore[union-attr]
            # the URL's host is not known to be the server's here (`requests.get(self.url)`, a field
            # set elsewhere): the answer is the client's text only if, resolved, the URL is
            if self.scope.is_project_candidate(qualified):
                self.record_call(call, qualified, args, kwargs, EMPTY)
            url = args[:1] or list(kwargs.values())[:1]
            return Value(taint=frozenset(o.cleanse(_UPSTREAM) for o in merge(*(v.all_taint() for v in url))))
        if sanitizer is not None and not chosen_peer:
            if self.scope.is_project_candidate(qualified):  # a library call stays on record (module summaries)
                self.record_call(call, qualified, args, kwargs, EMPTY)
            inputs = args[:1] or list(kwargs.values())[:1]
            result = url_built(sanitized(inputs, sanitizer.cleanses), sanitizer, kwargs)
            if qualified.rsplit(".", 1)[-1] in RESPONSE_FACTORIES:
                # `jsonify(rows)`, `render_template(...)`: cleansed, and a response object, not text
                return Value(taint=result.taint, tags=result.tags | {"response"})
            return result
        tag = models.instances.get(qualified)
        if tag is not None:
            tags = {tag}
            if qualified.endswith("XMLParser") and truth(kwargs.get("resolve_entities", Value(const=False)).const):
                tags.add("xml-unsafe")
            # what the object was built from stays in it: Path(name), Session(base_url=...)
            built_from = merge(*(a.all_taint() for a in args), *(v.all_taint() for v in kwargs.values()))
            return Value(taint=built_from, tags=frozenset(tags))
        if self.scope.module.language != "python":
            return self._js_known_call(qualified, args)
        stripped = self._stripped_to_one_component(call, qualified, args, kwargs)
        if stripped is not None:
            return stripped
        if qualified in ("str", "bytes") and args:
            return Value(taint=args[0].all_taint(), const=args[0].const if isinstance(args[0].const, str) else UNKNOWN,
                         shape=args[0].shape)
        if qualified in ("list", "tuple", "dict", "set", "sorted", "reversed") and args:
            return args[0] if args[0].elements is not None else Value(taint=args[0].all_taint())
        if qualified == "dict" and kwargs:
            return Value(elements=tuple(kwargs.items()))
        if qualified.endswith("XMLParser") and qualified.startswith("lxml"):
            unsafe = truth(kwargs.get("resolve_entities", Value(const=False)).const)
            return Value(tags=frozenset({"xml-parser", "xml-unsafe"} if unsafe else {"xml-parser"}))
        return None

    @staticmethod
    def _stripped_to_one_component(call: ir.Call, qualified: str, args: list[Value],
                                   kwargs: dict[str, Value]) -> Value | None:
        """`re.sub(r"[^0-9a-zA-Z-]+", "", name)`: every character that could climb out of a directory
        removed, so the result is one path component (taint.patterns.strips_to_one_component); the
        client's text still, for every other use. None when the call is not such a substitution."""
        written = substitution_pattern(qualified, list(call.args))
        if written is None or len(args) != 3 or kwargs or not strips_to_one_component(*written):
            return None  # a `count` or `flags` given: stripping may stop early
        return Value(taint=frozenset(o.cleanse(ONE_COMPONENT) for o in args[2].all_taint()))

    @staticmethod
    def _js_known_call(qualified: str, args: list[Value]) -> Value | None:
        """JavaScript has none of Python's built-ins: a module of the project named `list` or
        `str` is called like any other (its call is recorded), never read as `list(x)`."""
        if qualified == "encodeURI" and args:  # escapes characters, keeps `/ ? # :`, so the URL's shape
            return Value(taint=args[0].all_taint(), shape=args[0].shape)
        return None

    def record_call(self, call: ir.Call, callee: str, args: list[Value], kwargs: dict[str, Value],
                    fallback: Taint, self_offset: int = 0) -> Value:
        key = (call.line, call.col, callee)  # `C(x).m()`: both calls start at the same column
        existing = self._calls.get(key)
        index = existing.index if existing else len(self._calls)
        arg_taints = tuple(a.all_taint() for a in args)
        kw_taints = tuple((k, v.all_taint()) for k, v in sorted(kwargs.items()))
        if existing is not None:
            arg_taints = tuple(merge(a, b) for a, b in zip(arg_taints, existing.args))
            fallback = merge(fallback, existing.fallback)
        self._calls[key] = CallRecord(index, call.line, self.scope.names(callee), arg_taints, kw_taints, fallback,
                                      self.scope.module.line_text(call.line), self_offset)
        slots = _argument_kinds(call, args, kwargs, self_offset)
        known = self._arg_kinds.get(index)
        # evaluated again (a loop's second pass): a slot keeps its kind only if both passes agree
        self._arg_kinds[index] = slots if known is None else {k: v for k, v in slots.items() if known.get(k) == v}
        # a lookup by constant keys on something no client touched: what it returns is the server's
        looked_up = bool(args) and all(isinstance(a.const, str) for a in args) and not kwargs and not fallback
        return Value(taint=frozenset({Origin(("ret", index))}), tags=frozenset({CONFIGURED}) if looked_up else EMPTY)

    # ------------------------------------------------------------ sinks
def _argument_kinds(call: ir.Call, args: list[Value], kwargs: dict[str, Value], self_offset: int) -> dict[str, str]:
    """What a call hands each parameter of a project function, by kind (taint/returned.py): by
    position (a bound method's `self` counted) up to a `*args`, and by keyword."""
    slots: dict[str, str] = {}
    for position, (expr, value) in enumerate(zip(call.args, args)):
        if isinstance(expr, ir.Starred):
            break
        slots[str(position + self_offset)] = argument_kind(expr, value)
    for kw in call.kwargs:
        if kw.name is not None and kw.name in kwargs:
            slots[kw.name] = argument_kind(kw.value, kwargs[kw.name])
    return {slot: kind for slot, kind in slots.items() if kind}


def _first_by_qualname(classes: tuple[ir.ClassDef, ...]) -> dict[str, ir.ClassDef]:
    found: dict[str, ir.ClassDef] = {}
    for cls in classes:
        found.setdefault(cls.qualname, cls)
    return found


# expression type -> the evaluator's method for it, per evaluator class (a subclass's overrides
# are honoured); one dictionary lookup per expression instead of a chain of isinstance tests,
# built once per class rather than as bound methods per function analysed
_EVAL_METHODS = {
    ir.Name: "eval_name", ir.Const: "_eval_const", ir.Call: "eval_call", ir.Attr: "eval_attr",
    ir.Subscript: "_eval_subscript", ir.FormattedString: "eval_fstring", ir.BinOp: "_eval_binop",
    ir.BoolOp: "eval_boolop", ir.Compare: "eval_compare", ir.Unary: "_eval_unary", ir.IfExp: "_eval_ifexp",
    ir.Seq: "_eval_seq", ir.DictExpr: "eval_dict", ir.Comprehension: "eval_comprehension",
    ir.Await: "_eval_inner", ir.Starred: "_eval_inner", ir.Lambda: "_eval_lambda",
}


@functools.cache
def _eval_table(evaluator: type) -> dict[type, Callable[[Any, Any, Env], Value]]:
    return {kind: getattr(evaluator, name) for kind, name in _EVAL_METHODS.items()}


def _concat_shape(left: Value, right: Value) -> str | None:
    def piece(v: Value) -> str:
        if v.const is not UNKNOWN and isinstance(v.const, str):
            return v.const
        return v.shape if v.shape is not None else "{}"
    if left.shape is None and right.shape is None and left.const is UNKNOWN and right.const is UNKNOWN:
        return None
    return piece(left) + piece(right)


def _const_seq(kind: str, elements: tuple[tuple[int, Value], ...]) -> object:
    if kind == "tuple" and all(v.const is not UNKNOWN for _, v in elements):
        return tuple(v.const for _, v in elements)
    return UNKNOWN


_KEYWORD_LOOKUPS = frozenset({"get", "filter", "exclude", "filter_by"})


def _mapping_lookup(call: ir.Call, method: str | None, receiver: Value | None, unknown_callee: bool) -> bool:
    """`watches.get(uuid)`, `registry.pop(name, None)` on a mapping nothing here resolves: what it
    returns is a value the mapping held (or the default), never the key the client chose, as for
    `watches[uuid]` and for a mapping whose members are known (taint.methods). Only when the callee
    is unknown: a project method of that name is followed, and a library function (`requests.get`)
    or an HTTP client's `get(url)` answers with what the URL's server sent."""
    if method not in MAPPING_READS or receiver is None or not unknown_callee:
        return False
    if not 1 <= len(call.args) <= 2 or call.kwargs or isinstance(call.args[0], ir.Starred):
        return False
    return not receiver.tags & {"http-client", "request", "request-data"}


def _keyword_lookup(method: str, receiver: Value | None, args: list[Value], kwargs: dict[str, Value]) -> bool:
    """`queryset.get(uid=item_uid)` on a queryset held in a variable: a lookup by field keywords
    only is an ORM's (a dict's `get` takes no keywords, a mapping's `get(key, default)` is
    positional), so what it returns is the stored row the client's key selected. Not on a value
    of a project class (its own `get`), an HTTP client (`session.get(url=...)`) or request data."""
    if method not in _KEYWORD_LOOKUPS or args or not kwargs or "url" in kwargs or SPREAD in kwargs:
        return False
    tags = receiver.tags if receiver is not None else frozenset()
    return not any(t.startswith("class:") for t in tags) and \
        not tags & {"self", "http-client", "request", "request-data", "session"}


def _is_orm_chain(func: ir.Expr) -> bool:
    """`Model.objects....filter()`, `session.query(...)....first()`, `Model.query.filter_by()`."""
    return chained_through(func, _ORM_HANDLES)


_ORM_HANDLES = frozenset({"objects", "query", "_default_manager", "scalars"})


_KEY_ATTRS = frozenset({"id", "uuid", "pk"})
_OUTBOUND_REQUEST_TYPES = ("httpx.", "requests.", "PreparedRequest", "aiohttp.ClientRequest", "urllib.request.")
# builtins that walk a mapping's keys
_KEY_WALKERS = frozenset({"enumerate", "sorted", "list", "tuple", "set", "frozenset", "iter", "reversed"})
_LOOKUP_METHOD = re.compile(r"^(get|find|fetch|load|retrieve|lookup)(_one|_by_\w+|_or_404|_or_none)?$|^(one|first|one_or_none|scalar_one)$")
_METADATA_ATTRS = frozenset({"model", "_meta", "pk", "DoesNotExist", "objects", "__class__", "__name__"})


def _is_self_chain(func: ir.Expr) -> bool:
    """`self.repo.page`: a method of an attribute of `self` (qualified as if it were on the class)."""
    return isinstance(func, ir.Attr) and isinstance(func.value, ir.Attr) and \
        (ir.dotted_name(func.value) or "").startswith(("self.", "cls."))


def _instance_classes(value: Value) -> tuple[str, ...]:
    """Every class the value may be an instance of: branches that build different classes
    (`importer = A() if kind == "a" else B()`) leave one `class:` tag each after the join."""
    return tuple(sorted(tag[6:] for tag in value.tags if tag.startswith("class:")))


def _literal_keys(value: Value) -> bool:
    """A local mapping every key of which the code wrote (`fields = {"id": row_id}; fields["memo"] = memo`):
    the client chose its values, not its keys."""
    return value.elements is not None and bool(value.elements) and not value.taint \
        and all(isinstance(key, str) for key, _ in value.elements)


def _measure(expr: ir.Expr) -> bool:
    """`token.length`: a measure of a value, not the value."""
    return isinstance(expr, ir.Attr) and expr.attr in ("length", "size", "byteLength")


def _declared_type(qualified: str) -> bool:
    """A class or declared type's name (`app.container.Container`, or a member path under one,
    `app.container.Container.controllers`): capitalised, not a CONSTANT, at most two member steps
    below it, so `rows.items.map` of a function's result never grows into a member chain."""
    parts = qualified.split(".")
    for depth, part in enumerate(reversed(parts)):
        if part[:1].isupper() and not part.isupper():
            return depth <= 1
    return False
