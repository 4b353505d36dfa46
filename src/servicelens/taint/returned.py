"""What kind of value a function hands back: text, data or a response object.

A Flask view's return value is only an HTML page when it is text; a dict, a list, a
serialised model or a response object is turned into JSON or sent as it was built.

Project helpers are judged by what they return, followed into them once every function is
summarised (taint/resolve.py): `return get_result(data=rows)` is a page only if `get_result`
returns text. A helper may hand back one of its own parameters on some path (`def
_safe_jsonify(payload): return jsonify(payload) if has_app_context() else payload`): its kind is
then `param:<name>`, what the caller handed that parameter, and a call of a project function
records the kinds of the arguments it hands over (`call:<callee>#0=data,message=text`), so the
helper's kind is decided at each call. A function returning several such kinds (a success
helper on one path, an error helper on another) keeps them all (`call:a.ok|call:a.error`).
A helper returning a tuple keeps each member's kind (`return user, response`), and a view that
unpacks the call and returns one member (`user, resp = helper(...); return resp`) is judged by that
member (`call:helper@1`): a download the helper built with a non-HTML type is no page.
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.taint.predicates import SQL_STATEMENT
from servicelens.taint.values import Value

TEXT = "text"
DATA = "data"
RESPONSE = "response"
UNKNOWN_KIND = ""
CALL_PREFIX = "call:"  # the kind is whatever the named project function returns
PARAM_PREFIX = "param:"  # the kind is whatever the caller handed the named parameter
_SLOTS = "#"  # after a callee: the kinds of the arguments its call hands over
UNION = "|"  # between the kinds of a function's returns still to be decided
_POSITION = "@"  # after a callee: the kind is that of one member of the tuple it returns
# a keyword naming the response's content type (`mimetype=`, Starlette's `media_type=`)
_TYPE_KEYWORDS = ("mimetype", "content_type", "media_type")

# methods whose result is text whatever the receiver: reading a body, decoding bytes, formatting
_TEXT_METHODS = frozenset({"read", "decode", "format", "join", "replace", "strip", "getvalue"})
# methods that turn an object into plain data (a dict or list) for a JSON body
_DATA_METHODS = frozenset({"serialize", "to_dict", "as_dict", "dict", "model_dump", "get_json", "json",
                           "serialize_many", "to_list"})
# a function named for sending the client elsewhere answers with a redirect (`h.redirect_to(...)`,
# `redirect_back()`): the browser follows its Location header and never renders its body as a page
_RESPONSE_WORDS = frozenset({"redirect"})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def kind_of_returned(expr: ir.Expr | None, value: Value, project_callee: str | None) -> str:
    """Text, data, response, `call:<callee>` (decided once the callee is known) or unknown.

    An unknown kind is reported as a page (taint/sinks.py): a request value as received
    (`request.args.get("q")`) is unknown here and is the plainest reflected XSS. Measured on
    the dev triage repos (zou, PowerDNS-Admin, ...): reporting unknown leaves 142 xss findings
    (14 labelled false); staying silent on unknown leaves 4 (1 false); neither loses a true label."""
    if expr is None or "response" in value.tags:
        return RESPONSE
    if SQL_STATEMENT in value.tags:
        return DATA  # a SQLAlchemy statement object (`select(User).where(...)`): never text, values bound
    if isinstance(expr, ir.Call) and declares_non_html(expr):
        return RESPONSE  # `app.response_class(json.dumps(rsp), mimetype="application/json")`
    if isinstance(expr, ir.Name) and value.taint and not value.tags and value.elements is None \
            and value.shape is None and all(o.base == ("par", expr.id) for o in value.taint):
        return PARAM_PREFIX + expr.id  # the parameter as the caller handed it
    if value.elements is not None or isinstance(value.const, (dict, list, tuple)) or _builds_collection(expr) \
            or _data_either_way(expr):
        return DATA
    if value.shape is not None or isinstance(value.const, str) or "request" in value.tags:
        return TEXT
    if isinstance(expr, ir.Call):
        by_name = _kind_of_call_by_name(expr)
        if by_name != UNKNOWN_KIND:
            return by_name
    if any(t.startswith("class:") and t.rsplit(".", 1)[-1][:1].isupper() for t in value.tags):
        return DATA  # an instance of a project class (a model): Flask cannot send it as a page
    return CALL_PREFIX + project_callee if project_callee else UNKNOWN_KIND


def declared_response(function: ir.Function | None) -> bool:
    """`def put(self, ...) -> Response:`, `-> web.Response`, `-> HttpResponse`, `-> dict[str, Any]`,
    `-> Response | dict[str, Any]`: the function says it hands back a response object (or a response
    schema the framework serialises) or plain data the framework sends as JSON, never text. A response
    object is sent as it was built, so whether it is a page was decided where it was built: a value
    returned from a call the review cannot follow is that object or that data, not a page. Every member
    of a union must say so (`-> str | Response` may be text); Flask's `ResponseReturnValue` does not."""
    annotation = function.returns if function is not None else None
    return annotation is not None and _never_text(annotation)


# annotations of plain data a web framework serialises (Flask turns a dict or a list into JSON)
_DATA_ANNOTATIONS = frozenset({"dict", "list", "Dict", "List", "Mapping", "MutableMapping", "Sequence"})


def _never_text(annotation: ir.Expr) -> bool:
    if isinstance(annotation, ir.BinOp) and annotation.op == "|":
        return _never_text(annotation.left) and _never_text(annotation.right)
    if isinstance(annotation, ir.Const) and annotation.value is None:
        return True  # `-> Response | None`
    generic = _generic(annotation)
    if generic is not None:
        outer, members = generic
        if outer in ("Optional", "Union"):
            return all(_never_text(m) for m in members)
        return outer in _DATA_ANNOTATIONS
    if not isinstance(annotation, (ir.Name, ir.Attr)):
        return False
    name = (ir.dotted_name(annotation) or "").rsplit(".", 1)[-1]
    if name in _DATA_ANNOTATIONS:
        return True
    words = _WORD.findall(name)
    return bool(words) and words[-1].lower() == "response"


def _generic(annotation: ir.Expr) -> tuple[str, tuple[ir.Expr, ...]] | None:
    """`dict[str, Any]` / `Optional[Response]` -> its class's last name and its parameters (a return
    annotation is lowered as an opaque generic type, one nested in a union as a subscript)."""
    if isinstance(annotation, ir.Subscript):
        index = annotation.index
        return (ir.dotted_name(annotation.value) or "").rsplit(".", 1)[-1], \
            (index.elts if isinstance(index, ir.Seq) else (index,))
    if isinstance(annotation, ir.Opaque) and annotation.kind == "generic_type" and annotation.children:
        head, *rest = annotation.children
        members = tuple(m for r in rest for m in (r.children if isinstance(r, ir.Opaque) else (r,)))
        return (ir.dotted_name(head) or "").rsplit(".", 1)[-1], members
    return None


def declares_non_html(call: ir.Call) -> bool:
    """A call naming a content type that is not HTML (`mimetype="application/json"`,
    `content_type="text/csv"`): what it builds is a response of that type, whatever the callee
    (a framework's response class reached through the app, `app.response_class(...)`)."""
    for key in _TYPE_KEYWORDS:
        given = call.kwarg(key)
        if isinstance(given, ir.Const) and isinstance(given.value, str) and given.value \
                and "html" not in given.value.lower():
            return True
    return False


def argument_kind(expr: ir.Expr, value: Value | None) -> str:
    """What an argument handed to a project function is, as far as its caller can tell without
    another function's summary: data, a response, text, one of the caller's own parameters, or
    unknown (a project call's result)."""
    kind = kind_of_returned(expr, value if value is not None else Value(), None)
    return kind if kind in (DATA, RESPONSE, TEXT) or kind.startswith(PARAM_PREFIX) else UNKNOWN_KIND


def with_slots(callee: str, slots: dict[str, str]) -> str:
    """`callee#0=data,message=text`: the callee and the kinds of what its call hands each
    parameter (by position, a bound method's `self` counted, or by keyword), the unknown left out."""
    known = ",".join(f"{slot}={kind}" for slot, kind in slots.items() if kind)
    return f"{callee}{_SLOTS}{known}" if known else callee


def split_slots(encoded: str) -> tuple[str, dict[str, str]]:
    """The inverse of `with_slots`."""
    callee, _, rest = encoded.partition(_SLOTS)
    return callee, dict(item.split("=", 1) for item in rest.split(",") if "=" in item)


def _builds_collection(expr: ir.Expr) -> bool:
    """A dict, list or set display or comprehension (a generator is streamed as text)."""
    if isinstance(expr, ir.Comprehension):
        return expr.kind != "generator"
    return isinstance(expr, (ir.DictExpr, ir.Seq))


def _data_either_way(expr: ir.Expr) -> bool:
    """`x if x is None else [serialize(v) for v in x]`: every branch that can hold a value builds
    a collection (the branch a None test picks for the tested name is None)."""
    if not isinstance(expr, ir.IfExp):
        return False
    live = [branch for branch, when in ((expr.body, True), (expr.orelse, False))
            if not (isinstance(branch, ir.Const) and branch.value is None) and not _none_when(expr.test, branch, when)]
    return bool(live) and all(_builds_collection(branch) or _data_either_way(branch) for branch in live)


def _none_when(test: ir.Expr, branch: ir.Expr, when: bool) -> bool:
    """The branch is the name the test found None (`x if x is None else ...`, `... if x is not None else x`)."""
    if not (isinstance(test, ir.Compare) and len(test.ops) == 1 and isinstance(test.left, ir.Name)
            and isinstance(test.comparators[0], ir.Const) and test.comparators[0].value is None
            and isinstance(branch, ir.Name) and branch.id == test.left.id):
        return False
    return (test.ops[0] == "is") == when


def _kind_of_call_by_name(call: ir.Call) -> str:
    if isinstance(call.func, ir.Name) and call.func.id == "str":
        return TEXT
    name = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
    if _RESPONSE_WORDS & {w.lower() for w in _WORD.findall(name)}:
        return RESPONSE
    if isinstance(call.func, ir.Attr):
        if call.func.attr in _TEXT_METHODS:
            return TEXT
        if call.func.attr in _DATA_METHODS:
            return DATA
    return UNKNOWN_KIND


def at_position(callee: str, position: int) -> str:
    """`helper@1`: the second member of the tuple `helper` returns (`user, resp = helper(...)`)."""
    return f"{callee}{_POSITION}{position}"


def split_position(callee: str) -> tuple[str, int | None]:
    """The inverse of `at_position`: the callee, and the member's position if one was named."""
    name, marker, position = callee.rpartition(_POSITION)
    return (name, int(position)) if marker and position.isdigit() else (callee, None)


def member_kinds(returned: list[tuple[str, ...]]) -> tuple[str, ...]:
    """One kind per member when every return hands back a tuple of the same length (`return user,
    response`), each member's kind over all the returns (`function_kind`); empty otherwise."""
    if not returned or len({len(members) for members in returned}) != 1:
        return ()
    return tuple(function_kind({members[i] for members in returned}) for i in range(len(returned[0])))


def function_kind(kinds: set[str]) -> str:
    """One kind for all the returns of a function: kept only when every return agrees
    (data and response both mean "not a page", so a mix of the two is data). Returns that
    depend on another function or on a parameter (`call:...`, `param:...`) are kept side by
    side (`call:a.ok|call:a.error`), each decided once the project is summarised: the function
    is not a page when none of them is."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds and kinds <= {DATA, RESPONSE}:
        return DATA
    pending = {k for k in kinds if k.startswith((CALL_PREFIX, PARAM_PREFIX))}
    if pending and kinds - pending <= {DATA, RESPONSE}:
        return UNION.join(sorted(pending))
    return UNKNOWN_KIND


def keyed_names(function: ir.Function | None) -> frozenset[str]:
    """The names the function reads by a text key somewhere (`name["key"]`): in Python only a mapping
    (or a row) is indexed by text, a str indexed so raises, so what such a name holds is data, not a
    page's text (`concept = get_concept(id); check(concept["project_id"]); return concept`). One walk
    of the body answers for every name (the engine asks once per `return name`)."""
    if function is None:
        return frozenset()
    return frozenset(node.value.id for stmt in ir.walk_stmts(function.body) for root in ir.stmt_exprs(stmt)
                     for node in ir.walk_expr(root)
                     if isinstance(node, ir.Subscript) and isinstance(node.value, ir.Name)
                     and isinstance(node.index, ir.Const) and isinstance(node.index.value, str))
