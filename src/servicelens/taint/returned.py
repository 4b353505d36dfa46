"""What kind of value a function hands back: text, data or a response object.

A Flask view's return value is only an HTML page when it is text; a dict, a list, a
serialised model or a response object is turned into JSON or sent as it was built."""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.taint.values import Value

TEXT = "text"
DATA = "data"
RESPONSE = "response"
UNKNOWN_KIND = ""
CALL_PREFIX = "call:"  # the kind is whatever the named project function returns

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
    if value.elements is not None or isinstance(value.const, (dict, list, tuple)) or _builds_collection(expr):
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


def _builds_collection(expr: ir.Expr) -> bool:
    """A dict, list or set display or comprehension (a generator is streamed as text)."""
    if isinstance(expr, ir.Comprehension):
        return expr.kind != "generator"
    return isinstance(expr, (ir.DictExpr, ir.Seq))


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


def function_kind(kinds: set[str]) -> str:
    """One kind for all the returns of a function: kept only when every return agrees
    (data and response both mean "not a page", so a mix of the two is data)."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds and kinds <= {DATA, RESPONSE}:
        return DATA
    return UNKNOWN_KIND
