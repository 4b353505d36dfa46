"""Recording sink events: modelled sink calls (with their `when:` predicates), the body a
Flask handler returns, session stores and secret-named stores."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from servicelens import ir
from servicelens.taint.evaluate_support import escaped_by_repr, formats_members_by_repr, sensitive_name
from servicelens.taint.models import SinkSpec
from servicelens.taint.predicates import check_predicate
from servicelens.taint.logged_objects import logged_as_object
from servicelens.taint.response_types import declared_type, on_fastify_reply
from servicelens.taint.returned import (CALL_PREFIX, DATA, RESPONSE, UNKNOWN_KIND, at_position, declared_response,
                                        keyed_names, kind_of_returned, with_slots)
from servicelens.taint.session_keys import trusted_key
from servicelens.taint.summary import CallRecord, SinkEvent
from servicelens.taint.uploads import UPLOADED_FILE, upload_tags
from servicelens.taint.values import CLEAN as CLEAN_VALUE, Taint, Value, merge

# a Fastify reply sends a string as text/plain unless told otherwise (taint/response_types.py)
FASTIFY = "fastify"

if TYPE_CHECKING:
    from servicelens.taint.models import ModelIndex
    from servicelens.taint.scope import HandlerInfo, ModuleScope


MONGO_GUESS = "mongo-query"  # a method sink matched by a Mongo method's name on an unknown receiver (taint.predicates)


class SinkRecorder:
    """Mixin of the call evaluator: everything that ends in `add_sink`."""

    scope: ModuleScope
    models: ModelIndex
    function: ir.Function | None
    handler: HandlerInfo | None
    _sinks: dict[tuple[str, int, int], SinkEvent]
    _calls: dict[tuple[int, int, str], CallRecord]
    _arg_kinds: dict[int, dict[str, str]]
    return_kinds: set[str]  # kind of every value returned so far (taint/returned.py)
    returned_members: list[tuple[str, ...]]  # per return: its tuple's member kinds (empty: not a tuple)
    unpacked: dict[str, int]  # names bound by unpacking a call's result -> their position in it
    _keyed: frozenset[str] | None  # the function's names read by a text key, once asked (taint/returned.py)

    qualify_expr: Callable[[ir.Expr], str | None]  # provided by CallEvaluator
    project_instance: Callable[[ir.Call, Value], bool]  # provided by CallEvaluator

    def sink_events(self) -> tuple[SinkEvent, ...]:
        return tuple(sorted(self._sinks.values(), key=lambda s: (s.line, s.col, s.kind)))

    def sink_specs(self, call: ir.Call, qualified: str | None, method: str | None,
                   receiver: Value | None) -> tuple[SinkSpec, ...]:
        specs: tuple[SinkSpec, ...] = ()
        if qualified is not None:
            specs = self.models.call_sinks.get(qualified, ())
        if not specs and method is not None and receiver is not None:
            # a collection guessed by its receiver's name only where the project may have one; and a
            # query document handed to a project class's method (`this.userService.findOne({ email })`
            # with `userService: UserService`) is that method's argument, followed through its summary,
            # not a Mongo filter guessed from the method's name (JS/TS; a project class inheriting a
            # library's methods, `PrismaService extends PrismaClient`, keeps the other name-matched sinks)
            guess = self.scope.document_store
            own_class = self.scope.module.language != "python" and self.project_instance(call, receiver)
            specs = tuple(s for s in self.models.method_sinks.get(method, ())
                          if (guess or s.when != MONGO_GUESS)
                          and ((not s.receiver_tag and not (own_class and s.when == MONGO_GUESS))
                               or s.receiver_tag in receiver.tags
                               or (s.receiver_tag == UPLOADED_FILE
                                   and UPLOADED_FILE in upload_tags(receiver.tags, receiver.all_taint()))
                               or (s.receiver_tag == "logger" and _looks_like_logger(call.func))
                               or (s.receiver_tag == "mongo" and guess and _looks_like_collection(call.func))))
        return specs

    def peer_chosen_by_client(self, call: ir.Call, qualified: str | None, method: str | None,
                              receiver: Value | None, args: list[Value], kwargs: dict[str, Value]) -> bool:
        """An outbound call whose URL host the client chose (its ssrf sink fires): the peer, and so
        whatever it answers, is the client's choice too (`requests.get(request.args["url"]).content`)."""
        for spec in self.sink_specs(call, qualified, method, receiver):
            if spec.kind == "ssrf" and any(
                    value.is_tainted() and check_predicate(spec.when, value, args, kwargs, self.qualify_expr, call)
                    is not None for value in self._chosen(call, spec, receiver, args, kwargs)):
                return True
        return False

    def check_sinks(self, call: ir.Call, qualified: str | None, method: str | None, receiver: Value | None,
                    args: list[Value], kwargs: dict[str, Value]) -> None:
        specs = self.sink_specs(call, qualified, method, receiver)
        for spec in specs:
            self.check_sink(call, spec, qualified or method or "", receiver, args, kwargs)
        if method == "set_cookie" and receiver is not None:
            value = kwargs.get("value") or (args[1] if len(args) > 1 else None)
            if value is not None:
                self.add_sink("weak-random", call.line, call.col, call.end_line, "set_cookie", value.all_taint())

    @staticmethod
    def _chosen(call: ir.Call, spec: SinkSpec, receiver: Value | None, args: list[Value],
                kwargs: dict[str, Value]) -> list[Value]:
        """The values a sink spec reads: its positional and keyword arguments (of an options object,
        the members it names), and its receiver."""
        chosen: list[Value] = [member for i in spec.args if i < len(args) and not isinstance(call.args[i], ir.Starred)
                               for member in read_members(args[i], spec.members)]
        chosen += [kwargs[n] for n in spec.names if n in kwargs]
        if spec.receiver and receiver is not None:
            chosen.append(receiver)
        return chosen

    def check_sink(self, call: ir.Call, spec: SinkSpec, callee: str, receiver: Value | None,
                   args: list[Value], kwargs: dict[str, Value]) -> None:
        if spec.when == "log-message" and self.scope.module.language == "python":
            # `logger.info(data)` of a dict or list: logging writes str() of it, each member by repr()
            args = [escaped_by_repr(a) if formats_members_by_repr(a) else a for a in args]
        elif spec.when == "log-message":
            # Node's console writes an object argument through util.inspect, which escapes the
            # control characters of every string inside it; only a string goes out raw
            args = [CLEAN_VALUE if i < len(call.args) and logged_as_object(call.args[i], a, self.function) else a
                    for i, a in enumerate(args)]
        for value in self._chosen(call, spec, receiver, args, kwargs):
            if not value.is_tainted():
                continue
            verdict = check_predicate(spec.when, value, args, kwargs, self.qualify_expr, call)
            if verdict is None:
                continue
            condition = ""
            if spec.when == "html-body" and self.scope.module.language != "python":
                page = self._sent_as_page(call, value)
                if page is None:
                    continue
                condition = page
            elif spec.kind == "sql-injection" and verdict == "medium" and self.scope.module.language == "python":
                # an opaque value a project helper handed back (`stmt = self._build(path)`) is SQL text
                # only if that helper returns text; a SQLAlchemy statement binds its values
                condition = self._only_project_call(value) or ""
                first = call.args[0] if call.args else None
                position = self.unpacked.get(first.id) if condition and isinstance(first, ir.Name) else None
                if position is not None:  # `stmt, params = self._build(path)`: that member's kind
                    condition = at_position(condition, position)
            line = _chained_line(call) if self.scope.module.language != "python" else call.line
            self.add_sink(spec.kind, line, call.col, call.end_line, callee, value.all_taint(), verdict,
                          if_text_from=condition)

    def _sent_as_page(self, call: ir.Call, value: Value) -> str | None:
        """A JS/TS response body that may be rendered as HTML: None when it is not (a non-HTML type
        was set, Fastify's text/plain default, an object sent as JSON), else "" or the project
        function whose result it is, a page only if that function returns text (taint/returned.py)."""
        given = declared_type(call, self.function, self.scope.memo(
            "functions-by-qualname", lambda: {f.qualname: f for f in self.scope.module.functions}))
        if given is not None and not given.is_html:
            return None
        if given is None and ((self.handler is not None and self.handler.framework == FASTIFY)
                              or on_fastify_reply(call, self.function)):
            return None
        if not call.args:
            return ""
        if _constructed(call.args[0]):
            return None
        kind = kind_of_returned(call.args[0], value, self._only_project_call(value))
        if kind in (DATA, RESPONSE):
            return None
        return kind[len(CALL_PREFIX):] if kind.startswith(CALL_PREFIX) else ""

    def add_sink(self, kind: str, line: int, col: int, end_line: int, callee: str, taint: Taint,
                 confidence: str = "high", if_text_from: str = "") -> None:
        if not taint:
            return
        key = (kind, line, col)
        existing = self._sinks.get(key)
        if existing is not None:
            taint = merge(taint, existing.taint)
        self._sinks[key] = SinkEvent(kind, line, col, max(end_line, line), callee, taint,
                                     self.scope.module.line_text(line), confidence, if_text_from)

    def on_return(self, stmt: ir.Return, value: Value) -> None:
        if stmt.value is not None:
            self._on_returned_body(stmt, value)
        if self.function is not None and sensitive_name(self.function.name):
            self.add_sink("weak-random", stmt.line, 0, stmt.end_line, f"return from {self.function.name}()", value.all_taint())

    def _on_returned_body(self, stmt: ir.Return, value: Value) -> None:
        """Remember what kind of value the function returns; in a view that answers with a page,
        a body that is (or may be) text is HTML: data and response objects are not."""
        expr, body = stmt.value, value
        if isinstance(expr, ir.Seq) and expr.kind == "tuple" and expr.elts:  # `return body, 201`, not `return [row]`
            self.returned_members.append(tuple(self._member_kind(e, value.element(i)) for i, e in enumerate(expr.elts)))
            expr, body = expr.elts[0], value.element(0)
        elif body.const is not None:  # `return None` (nothing found) says nothing about the members
            self.returned_members.append(())  # not a tuple: no member of it has a kind of its own
        kind = kind_of_returned(expr, body, self._only_project_call(body))
        if kind not in (DATA, RESPONSE) and isinstance(expr, ir.Name) and self.scope.module.language == "python" \
                and expr.id in self._keyed_names():
            kind = DATA
        if (kind == UNKNOWN_KIND or kind.startswith(CALL_PREFIX)) and self.scope.module.language == "python" \
                and declared_response(self.function):
            kind = RESPONSE  # `def put(self) -> Response: return self.api.update(...)`: the object, as built
        if kind.startswith(CALL_PREFIX):  # what the call hands the helper decides what the helper returns
            callee = kind[len(CALL_PREFIX):]
            position = self.unpacked.get(expr.id) if isinstance(expr, ir.Name) else None
            if position is not None:  # `user, resp = helper(...); return resp`: one member of its tuple
                callee = at_position(callee, position)
            kind = CALL_PREFIX + with_slots(callee, self._handed(body))
        if body.const is not None:  # `return None` (nothing found) says nothing about the other returns
            self.return_kinds.add(kind)
        if self.handler is None or not self.handler.returns_html or kind in (DATA, RESPONSE):
            return
        condition = kind[len(CALL_PREFIX):] if kind.startswith(CALL_PREFIX) else ""
        self.add_sink("xss", stmt.line, 0, stmt.end_line, "response body", body.all_taint(), if_text_from=condition)

    def _member_kind(self, expr: ir.Expr, value: Value) -> str:
        """The kind of one member of a returned tuple, as a caller unpacking it would see it. A member
        written `None` (`return command, data, None`: no error answer this time) is nothing to send,
        so it cannot be a page; the member's kind over every return still decides."""
        if isinstance(expr, ir.Const) and expr.value is None:
            return DATA
        kind = kind_of_returned(expr, value, self._only_project_call(value))
        return kind if not kind.startswith(CALL_PREFIX) else CALL_PREFIX + with_slots(kind[len(CALL_PREFIX):],
                                                                                        self._handed(value))

    def _keyed_names(self) -> frozenset[str]:
        if self._keyed is None:
            self._keyed = keyed_names(self.function)
        return self._keyed

    def _handed(self, value: Value) -> dict[str, str]:
        """The kinds of the arguments of the one project call whose result `value` is."""
        indexes = {o.base[1] for o in value.all_taint() if o.base[0] == "ret"}
        return dict(self._arg_kinds.get(next(iter(indexes)), {})) if len(indexes) == 1 else {}

    def _only_project_call(self, value: Value) -> str | None:
        """The project function whose result is all of `value`, if one is."""
        indexes = {o.base[1] for o in value.all_taint() if o.base[0] == "ret"}
        if len(indexes) != 1 or any(o.base[0] != "ret" for o in value.all_taint()):
            return None
        index = next(iter(indexes))
        return next((c.callee for c in self._calls.values() if c.index == index), None)

    def on_named_value(self, name: str, value: Value, line: int) -> None:
        """A variable or an object key named as a secret given a value made elsewhere
        (`const apiKey = randomString(32)`, `{ resetToken: makeCode() }`): a weak random value
        reaching it through a helper's return or a parameter. One made on the same line is the
        language rules' own finding."""
        if not sensitive_name(name):
            return
        made_elsewhere = frozenset(o for o in value.all_taint() if not (o.base[0] == "src" and o.base[-1] == line))
        self.add_sink("weak-random", line, 0, line, f"`{name}`", made_elsewhere)

    def on_store(self, target: ir.Expr, container: Value, key: object, value: Value, line: int) -> None:
        """Stores that are sinks: the session (trust boundary) and secrets (weak random)."""
        if "session" in container.tags:
            if trusted_key(target, key):  # the caller's own preferences and navigation grant nothing
                self.add_sink("trust-boundary", line, 0, line, "session store", value.all_taint())
            self.add_sink("weak-random", line, 0, line, "session store", value.all_taint())
        elif isinstance(key, str) and sensitive_name(key):
            self.add_sink("weak-random", line, 0, line, f"`{key}`", value.all_taint())


def read_members(value: Value, members: tuple[str, ...]) -> list[Value]:
    """What a sink reads of one argument: an object built from known keys, only the named members
    (set in the literal, `{ url }`, or later, `opts.url = u`) and whatever a spread or computed key
    may have put there; a string, or an object it knows nothing of, whole."""
    if not members or value.elements is None:
        return [value]
    keys = {key for key, _ in value.elements}
    return [value.element((".", m) if (".", m) in keys else m) for m in members]


def _constructed(expr: ir.Expr) -> bool:
    """`new NotFoundError(...)`, `Buffer.from(...)`: an object (sent as JSON) or bytes, not text;
    `String(x)` is the one capitalised call that makes a string."""
    if not isinstance(expr, ir.Call):
        return False
    name = ir.dotted_name(expr.func) or ""
    return name.startswith("Buffer.") or (name[:1].isupper() and "." not in name and name != "String")


def _looks_like_logger(func: ir.Expr) -> bool:
    if not isinstance(func, ir.Attr):
        return False
    name = (ir.dotted_name(func.value) or "").rsplit(".", 1)[-1].lower()
    return name in ("log", "logger", "_log", "_logger", "logging") or name.endswith("logger")


def _looks_like_collection(func: ir.Expr) -> bool:
    """`db.users.find(...)`, `users_collection.find(...)`: a Mongo collection by its name or place."""
    if not isinstance(func, ir.Attr):
        return False
    dotted = (ir.dotted_name(func.value) or "").lower()
    parts = dotted.split(".")
    return any(w in dotted for w in ("collection", "mongo", "coll")) or (len(parts) >= 2 and parts[0] in ("db", "database", "mongo_db", "client"))


def _chained_line(call: ir.Call) -> int:
    """`db('events')\n  .where(...)\n  .orderByRaw(text)`: a call at the end of a chain written over
    several lines is on the line of its own arguments, not the chain's first."""
    if isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Call) and call.args and call.args[0].line:
        return max(call.line, call.args[0].line)
    return call.line
