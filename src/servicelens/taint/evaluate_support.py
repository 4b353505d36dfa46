"""Small tables and string-shape helpers the evaluator uses."""
from __future__ import annotations

import re
from functools import lru_cache

from servicelens.taint.values import UNKNOWN, Value

# what repr() makes harmless: control characters come out escaped, so no raw CR or LF is left
ESCAPED_BY_REPR = frozenset({"header-injection"})

# methods that put their arguments into the receiver
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "appendleft",
                      "extendleft", "write", "writelines"})

# names whose value is a secret: weak randomness reaching them is a finding
# `pin` as a word of a name (`pin`, `deliveryPin`, `pin_code`, `PIN`), not inside one (`spinner`, `opinion`)
SENSITIVE_NAME = re.compile(
    r"(?i)(token|secret|passw|passwd|pwd|otp|nonce|salt|api_?key|session_?id|csrf|reset_?code|"
    r"verification_?code|auth_?code|remember_?me|(?-i:(?:(?<![A-Za-z])[Pp]in|(?<=[a-z])Pin|(?<![A-Za-z])PIN)(?![a-z]))|activation_?code|invite_?code|one_?time|"
    # codes presented to redeem or enter something: whoever guesses one holds what it grants
    r"(ticket|voucher|coupon|gift|promo|redeem|redemption|access|claim|referral|confirmation|login)_?code)")


@lru_cache(maxsize=8192)
def sensitive_name(name: str) -> bool:
    """`SENSITIVE_NAME.search(name)`, kept per name: the pattern costs ~1 µs a character (its
    lookbehinds are tried at every position) and the engine asks it of every named value, store
    and return, mostly for the same few names of a file."""
    return SENSITIVE_NAME.search(name) is not None


# something used as a session store (flask.session, request.session, helpers' `mysession`)
SESSION_NAME = re.compile(r"(?i)(^|_|my)session$")


def percent_shape(template: str | None, args: Value) -> str | None:
    """Shape of `template % args`: each conversion becomes a hole unless constant."""
    if template is None:
        return None
    values = [v for _, v in args.elements] if args.elements is not None else [args]
    pieces = iter(values)

    def fill(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        value = next(pieces, None)
        if value is not None and value.const is not UNKNOWN and not value.is_tainted():
            return str(value.const)
        return "{}"

    return re.sub(r"%%|%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[sdrifxXoeEgGc]", fill, template)


# a set, list, dict or tuple: formatted into text, each member is written by repr()
CONTAINER = "container"
CONTAINER_BUILDERS = frozenset({"set", "list", "dict", "tuple", "frozenset", "sorted"})


def formats_members_by_repr(value: Value) -> bool:
    """`f"missing {cols}"` of a Python container writes repr() of every member (`{'a\\nb'}`), so no
    member's line break reaches the text raw. An object's attributes (`(".", name)` keys) are not
    a container: its own `__str__` decides."""
    if CONTAINER in value.tags:
        return True
    return bool(value.elements) and all(not isinstance(k, tuple) for k, _ in value.elements or ())


def escaped_by_repr(value: Value) -> Value:
    """The value as repr() writes it: clean of what repr() escapes."""
    return Value(taint=frozenset(o.cleanse(ESCAPED_BY_REPR) for o in value.all_taint()), shape=value.shape,
                 tags=value.tags)


_CONVERSION = re.compile(r"%%|%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?([sdrifxXoeEgGca])")
# `%r` and `%a` format repr()/ascii() of their argument: CR and LF come out escaped
_ESCAPING_CONVERSIONS = frozenset({"r", "a"})


def percent_escaped(template: object, args: Value) -> Value:
    """The arguments of `template % args` with what `%r`/`%a` conversions escape cleansed from
    the ones they format (`"user %r" % name`: the name cannot break a log line), and from a
    container `%s` formats (written member by member with repr()); a mapping
    template (`%(name)r`) or a count that does not match leaves them as they are."""
    if not isinstance(template, str):
        return args
    conversions = [m.group(3) for m in _CONVERSION.finditer(template) if m.group(0) != "%%"]
    if not conversions or any(m.group(1) for m in _CONVERSION.finditer(template)):
        return args
    values = [v for _, v in args.elements] if args.elements is not None else [args]
    if len(values) != len(conversions):
        return args
    kept = [frozenset(o.cleanse(ESCAPED_BY_REPR) for o in v.all_taint())
            if c in _ESCAPING_CONVERSIONS or (c == "s" and formats_members_by_repr(v))
            else v.all_taint() for v, c in zip(values, conversions)]
    return Value(taint=frozenset().union(*kept))


def format_shape(template: str | None, args: list[Value], kwargs: dict[str, Value]) -> str | None:
    """Shape of `template.format(...)`: replacement fields become holes unless constant."""
    if template is None:
        return None
    positional = iter(args)

    def fill(match: re.Match[str]) -> str:
        field = match.group(1).split("!")[0].split(":")[0]
        value: Value | None
        if field == "":
            value = next(positional, None)
        elif field.isdigit():
            value = args[int(field)] if int(field) < len(args) else None
        else:
            value = kwargs.get(field.split(".")[0].split("[")[0])
        if value is not None and value.const is not UNKNOWN and not value.is_tainted():
            return str(value.const)
        return "{}"

    return re.sub(r"\{([^{}]*)\}", fill, template.replace("{{", "\0").replace("}}", "\1")).replace("\0", "{").replace("\1", "}")

# framework calls that build a response object: what a handler returns through them is
# not raw HTML text (their own sinks, e.g. make_response(html), are modelled separately)
RESPONSE_FACTORIES = frozenset({
    "redirect", "make_response", "Response", "jsonify", "render_template", "render",
    "send_file", "send_from_directory", "HttpResponse", "JsonResponse", "HttpResponseRedirect",
    "HttpResponsePermanentRedirect", "StreamingHttpResponse", "FileResponse", "JSONResponse",
    "HTMLResponse", "PlainTextResponse", "RedirectResponse", "TemplateResponse", "render_to_response",
    "abort", "stream_with_context", "ORJSONResponse", "UJSONResponse",
})

# query-building and row-fetching methods of ORMs: their result is stored data
ORM_QUERY_METHODS = frozenset({
    "filter", "exclude", "get", "first", "last", "all", "order_by", "values", "values_list", "using",
    "select_related", "prefetch_related", "annotate", "aggregate", "count", "exists", "only", "defer",
    "distinct", "in_bulk", "latest", "earliest", "get_or_create", "update_or_create", "filter_by",
    "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none", "limit", "offset", "join",
    "options", "where", "iterator", "none",
})
