"""Conditions under which a modelled sink really is dangerous (`when:` in the models).

Each returns None when the call is safe as written, or the confidence of the finding.
They look at the argument's abstract value: its string shape tells whether request
data can reach the host part of a URL, the start of a redirect target, SQL text, etc.
"""
from __future__ import annotations

import re
from typing import Callable, Sequence

from servicelens import ir
from servicelens.taint.consts import truth
from servicelens.taint.values import UNKNOWN, Taint, Value

Qualifier = Callable[[ir.Expr], str | None]
# a tag taint.calls sets on strings that start with a scheme and host the server chose
FIXED_ORIGIN = "fixed-origin"
# a tag on a path of this site built by the app's own URL builder (`reverse(...)`, `url_for(...)`,
# models' sanitizer entries with `tag: local-url`), and on what is appended to it
LOCAL_URL = "local-url"
# a tag taint.calls sets on SQLAlchemy statement objects (`select(...)`, `.where(...)` on one):
# the library binds every value as a parameter, so they are never SQL text
SQL_STATEMENT = "sql-statement"
_SQL = re.compile(r"(?i)\b(select|insert|update|delete|where|from|create|drop|alter|values|"
                  r"order\s+by|group\s+by|pragma|exec|call|union|join|limit|set)\b")
_SHELLS = {"sh", "bash", "zsh", "cmd", "cmd.exe", "powershell", "/bin/sh", "/bin/bash", "pwsh"}
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
_FIXED_HOST = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/{}?#]+[/?#]")
_LOCAL_PATH = re.compile(r"^/[^/\\{]")


def check_predicate(name: str, value: Value, args: list[Value], kwargs: dict[str, Value],
                    qualify: Qualifier, call: ir.Call) -> str | None:
    if not name:
        return "high"
    return _PREDICATES[name](value, args, kwargs, qualify, call)


_HOST_CHOSEN = frozenset({"ssrf", "open-redirect"})  # what a client can no longer do once the host is fixed


def fixed_host(shape: str | None) -> bool:
    """Does a string of this shape begin with a scheme and host written in the code
    (`"https://api.example.com/v1/orders?id={}"`)? What fills its holes lands in the path or
    the query on that host, never in the host."""
    return shape is not None and bool(_FIXED_HOST.match(shape.split("{}", 1)[0]))


def local_path(shape: str | None) -> bool:
    """Does a string of this shape begin with a path of this site written in the code (`"/admin/{}"`,
    not `"/{}"`, which `//evil.net` fills)? Whatever fills its holes stays on the origin that serves
    it: a redirect to it, or a request through a client with a base URL, goes to the same host."""
    return shape is not None and bool(_LOCAL_PATH.match(shape.split("{}", 1)[0]))


def fixed_origin(value: Value) -> Value:
    """`value` marked as a URL whose host the server chose: the client text in it can no longer
    choose a host, here or in the functions it is passed to (taint crosses calls, tags do not)."""
    taint = frozenset(origin.cleanse(_HOST_CHOSEN) for origin in value.taint)
    return Value(taint=taint, const=value.const, elements=value.elements, shape=value.shape,
                 tags=value.tags | {FIXED_ORIGIN})


def query_start(parts: Sequence[Value]) -> int:
    """Index of the first part of a string being built whose written text holds a `?` or `#`
    (`f"{target}?{request.META['QUERY_STRING']}"`), or ends the host of a URL whose scheme the
    code wrote (`f"https://keys.{region}.example.com/{kid}"`: the `/` after the host), or the
    number of parts when none does: whatever the parts after it add lands in that URL's path,
    query or fragment, on a host the parts up to it chose."""
    for index, part in enumerate(parts):
        text = part.const if isinstance(part.const, str) else part.shape
        if text and ("?" in text.replace("{}", "") or "#" in text.replace("{}", "")):
            return min(index, host_end(parts))
    return host_end(parts)


def host_end(parts: Sequence[Value]) -> int:
    """Index of the part whose written text ends the host of a URL whose `scheme://` the code
    wrote, with a `/`, `?` or `#` after some host text or a hole (`"https://", region,
    ".example.com/", kid` -> 2), or the number of parts when the code wrote none. A hole is
    read as host text: what fills it may be the host, and the part holding it keeps its taint."""
    scheme = False
    host = False
    for index, part in enumerate(parts):
        text = part.const if isinstance(part.const, str) else part.shape
        if text is None:
            host = host or scheme
            continue
        if not scheme:
            at = text.find("://")
            if at < 0:
                continue
            scheme, text = True, text[at + 3:]
        for char in text:
            if char in "/?#" and host:
                return index
            host = True
    return len(parts)


def template_tail(masked: str) -> int:
    """Offset in a template (its fields masked by NUL characters of the same length) from which
    what it formats lands in a URL's path, query or fragment: at a `?` or `#`, or at the `/`, `?`
    or `#` ending the host after a written `scheme://` (`"https://%s.example.com/%s"`); -1 when
    none."""
    cuts = [i for i in (masked.find("?"), masked.find("#")) if i >= 0]
    at = masked.find("://")
    if at >= 0:
        end = next((i for i in range(at + 4, len(masked)) if masked[i] in "/?#"), -1)
        if end >= 0:
            cuts.append(end)
    return min(cuts, default=-1)


def in_query(taint: Taint) -> Taint:
    """Client text placed after a `?` or `#` the code wrote, or after the host of a URL whose scheme
    the code wrote: a path, query or fragment value, which picks neither the scheme nor the host of
    the URL (ssrf, open-redirect)."""
    return frozenset(origin.cleanse(_HOST_CHOSEN) for origin in taint)


def in_query_value(value: Value) -> Value:
    return Value(taint=in_query(value.all_taint()), const=value.const, shape=value.shape) if value.is_tainted() else value


_FIELD = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")


def query_fields(template: str) -> tuple[int, frozenset[str]] | None:
    """For a `str.format` template holding a `?` or `#`: the index of the first positional
    field past it and the names of the named fields past it. None when there is no `?`/`#`
    or the template numbers its fields (`{0}`), which may repeat one before and after."""
    cut = template_tail(_FIELD.sub(lambda m: "\0" * len(m.group(0)), template))
    if cut < 0:
        return None
    before, after = _FIELD.findall(template[:cut]), _FIELD.findall(template[cut:])
    if any(name.isdigit() for name in before + after):
        return None
    return sum(1 for name in before if not name), frozenset(name for name in after if name) - frozenset(before)


_PERCENT_FIELD = re.compile(r"%%|%(\([^)]*\))?[-#0 +]*\d*(\.\d+)?[sdrifxXoeEgGca]")


def percent_url_args(template: object, args: Value) -> tuple[Value, bool]:
    """`template % args` read as a URL being built (`"%s?page=%d#%s" % (reverse("list"), n, name)`):
    the arguments with those a conversion places after a `?` or `#` the template wrote marked as in
    the query (`in_query`), and whether the text starts with the first argument and that argument is
    a path of this site (`LOCAL_URL`), so the whole stays on this site. A mapping template or a count
    that does not match leaves the arguments as they are."""
    if not isinstance(template, str):
        return args, False
    fields = [m for m in _PERCENT_FIELD.finditer(template) if m.group(0) != "%%"]
    values = [v for _, v in args.elements] if args.elements is not None else [args]
    if not fields or any(m.group(1) for m in fields) or len(fields) != len(values):
        return args, False
    local = fields[0].start() == 0 and LOCAL_URL in values[0].tags
    cut = template_tail(_PERCENT_FIELD.sub(lambda m: "\0" * len(m.group(0)), template))
    if cut < 0:
        return args, local
    marked = [in_query_value(v) if m.start() > cut else v for m, v in zip(fields, values)]
    if args.elements is None:
        return marked[0], local
    return Value(elements=tuple((key, v) for (key, _), v in zip(args.elements, marked)), tags=args.tags), local


def _prefix(value: Value) -> str:
    if value.shape is None:
        return ""
    return value.shape.split("{}", 1)[0]


def process_command(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    shell = kwargs.get("shell")
    if shell is not None and truth(shell.const):
        return "high"
    if value.elements is not None:
        first = value.element(0)
        consts = {str(v.const) for _, v in value.elements if v.const is not UNKNOWN}
        if first.is_tainted():
            return "high"
        program = first.const
        runs_shell = program is UNKNOWN or str(program).rsplit("/", 1)[-1] in _SHELLS
        if runs_shell and consts & {"-c", "/c", "/C", "-Command"} and value.is_tainted():
            return "high"
        return None
    return "high" if value.taint else None


def url_host(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    if FIXED_ORIGIN in value.tags:
        return None  # the server chose scheme and host; the client only fills the path or query
    prefix = _prefix(value)
    if _FIXED_HOST.match(prefix):
        return None
    return "high" if not prefix else "medium"


def client_url(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    """The URL of a call on an HTTP client instance (`api.get(url)` of `axios.create({ baseURL })`):
    a path (`/items/${id}`) is resolved against the base URL the server configured; only an
    absolute URL the client chose, or its start, picks the host."""
    if _LOCAL_PATH.match(_prefix(value)):
        return None
    return url_host(value, args, kwargs, q, call)


def redirect_target(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    if "local-url" in value.tags or FIXED_ORIGIN in value.tags:
        return None  # starts with a path this site built (`reverse(...) + "?" + query`) or a host it chose
    prefix = _prefix(value)
    if _FIXED_HOST.match(prefix) or _LOCAL_PATH.match(prefix):
        return None
    return "high"


# where a response class takes its content type positionally: Django's
# `HttpResponse(content, content_type)`, Werkzeug/Flask's `Response(body, status, headers, mimetype, content_type)`
_POSITIONAL_CONTENT_TYPE = {"django.http": (1,), "django.http.response": (1,), "flask": (3, 4),
                            "werkzeug.wrappers": (3, 4), "werkzeug": (3, 4)}


def html_body(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    for key in ("content_type", "mimetype", "media_type"):
        given = kwargs.get(key)
        if given is not None and isinstance(given.const, str) and "html" not in given.const:
            return None
    module = (q(call.func) or "").rpartition(".")[0]
    for index in _POSITIONAL_CONTENT_TYPE.get(module, ()):
        given = args[index] if index < len(args) else None
        if given is not None and isinstance(given.const, str) and "html" not in given.const:
            return None  # `HttpResponse(data, "application/json")`
    if value.elements is not None or isinstance(value.const, (dict, list)):
        return None
    if "response" in value.tags:
        return None
    return "high"


def sql_text(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    if SQL_STATEMENT in value.tags:
        return None  # a statement object built earlier and passed in a variable
    if value.elements is not None:
        return None  # a list/dict of parameters, not SQL text
    first = call.args[0] if call.args else None
    if isinstance(first, ir.Call) and _statement_object(first):
        return None  # `execute(select(...))`, `execute(CreateSchema(name))`: quoted by the library
    if value.shape is None:
        return "medium"
    return "high" if _SQL.search(value.shape) else None


def sql_fragment(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    """A raw SQL fragment (`whereRaw`, `orderByRaw`): the method says the text is SQL, so any
    text built from client data is, whether or not it reads like a statement (`${sort} ${dir}`)."""
    if SQL_STATEMENT in value.tags or value.elements is not None:
        return None
    return "high" if value.shape is not None else "medium"


def unsafe_yaml_loader(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    loader_expr = call.kwarg("Loader") or (call.args[1] if len(call.args) > 1 else None)
    if loader_expr is None:
        return "high"  # PyYAML < 5.1 and yaml.load(x) without Loader: arbitrary objects
    name = q(loader_expr) or ir.dotted_name(loader_expr) or ""
    return None if name.endswith(_SAFE_LOADERS) else "high"


def unsafe_xml_parser(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    for other in list(args[1:]) + list(kwargs.values()):
        if "xml-unsafe" in other.tags:
            return "high"
    return None


def ldap_filter(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    if value.shape is None:
        return None
    return "high" if "(" in value.shape and "=" in value.shape else None


def nosql_query(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    if value.elements is None:
        return "high" if value.shape is None else None  # the whole query document came from the client
    where = value.element("$where")
    if where.is_tainted():
        return "high"
    for _, element in value.elements:
        if element.elements is None and element.shape is None and any(
                o.base[0] == "src" and o.base[2] in ("JSON body", "request body") for o in element.taint):
            return "medium"  # a JSON value may be an operator object like {"$ne": null}
    return None


def log_message(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    return "low"  # real, but handlers and structured formatters often neutralise newlines


def torch_unsafe(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    weights_only = kwargs.get("weights_only")
    return None if weights_only is not None and truth(weights_only.const) else "high"


def not_file_object(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    return None if "file" in value.tags else "high"


def without_root_option(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier,
                        call: ir.Call) -> str | None:
    """Express `res.sendFile(name, {root})` refuses a path that climbs out of `root`."""
    options = call.args[1] if len(call.args) > 1 else None
    if isinstance(options, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value == "root" for k in options.keys):
        return None
    return "high"


_MONGO_RECEIVER = re.compile(r"(?i)(coll?(ection)?s?$|mongo|model|^db$|\.db$|repository$)")


def mongo_query(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    """A client-shaped filter (`nosql-query`): a query document (`{ $where: ... }`) whatever the
    receiver; a whole client value only on what reads as a MongoDB collection or Mongoose
    model (`db.collection('users')`, `usersCol`, `User`, `this.userModel`), not `repo.find(id)`."""
    if value.elements is not None:
        return nosql_query(value, args, kwargs, q, call)
    receiver = call.func.value if isinstance(call.func, ir.Attr) else None
    if isinstance(receiver, ir.Call) and isinstance(receiver.func, ir.Attr) and receiver.func.attr in (
            "collection", "model", "getCollection"):
        return nosql_query(value, args, kwargs, q, call)
    dotted = ir.dotted_name(receiver) if receiver is not None else None
    if not dotted:
        return None
    last = dotted.rsplit(".", 1)[-1]
    if _MONGO_RECEIVER.search(dotted) or (last[:1].isupper() and not last.isupper()):
        return nosql_query(value, args, kwargs, q, call)
    return None


_SQL_RECEIVER = re.compile(r"(?i)(sequelize|knex|pool|^db$|database|conn(ection)?$|sql|^pg$|mysql|datasource|"
                           r"queryrunner|entitymanager|^manager$|client$)")


def sql_client_text(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    """SQL text (`sql-text`) on what reads as a database handle though nothing tagged it: the
    `db.sequelize` a models index exports, a `pool`/`connection` handed in by a callback."""
    receiver = call.func.value if isinstance(call.func, ir.Attr) else None
    if not reads_as_sql_handle(receiver):
        return None
    return sql_text(value, args, kwargs, q, call)


def reads_as_sql_handle(receiver: ir.Expr | None) -> bool:
    """`db.sequelize`, `this.pool`, `conn`: what the code names a database handle, though nothing
    tagged it (a handle handed in by a callback or to a helper's constructor)."""
    dotted = ir.dotted_name(receiver) if receiver is not None else None
    return bool(dotted) and bool(_SQL_RECEIVER.search(dotted.rsplit(".", 1)[-1]))


def xml_entities_option(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier,
                        call: ir.Call) -> str | None:
    """libxmljs `parseXml(text, { noent: true })`: external entities are expanded."""
    for options in call.args[1:]:
        if isinstance(options, ir.DictExpr) and any(
                isinstance(k, ir.Const) and k.value in ("noent", "dtdload") and isinstance(v, ir.Const) and v.value is True
                for k, v in zip(options.keys, options.values)):
            return "high"
    return None


def location_header(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier,
                    call: ir.Call) -> str | None:
    """A redirect written as its header: `res.setHeader('Location', url)` (`set`, `header`), and
    the headers object of `res.set({ Location: url })` or `res.writeHead(302, { Location: url })`.
    The browser follows it like `res.redirect(url)`; other headers are not redirect targets, and
    neither is the Location of a response whose status is not a redirect (`res.status(201)
    .header('location', ...)`: where a created record lives)."""
    status = _status_of(call)
    if status is not None and not 300 <= status < 400:
        return None
    if value.elements is not None:
        for key, element in value.elements:
            if isinstance(key, str) and key.lower() == "location" and element.is_tainted():
                return redirect_target(element, args, kwargs, q, call)
        return None
    first = call.args[0] if call.args else None
    if len(call.args) >= 2 and isinstance(first, ir.Const) and isinstance(first.value, str) \
            and first.value.lower() == "location" and value is not args[0]:
        return redirect_target(value, args, kwargs, q, call)
    return None


def _status_of(call: ir.Call) -> int | None:
    """The status a response call sets with the header: `writeHead(302, ...)`, or a `status(201)`
    earlier in its chain."""
    if isinstance(call.func, ir.Attr) and call.func.attr == "writeHead" and call.args \
            and isinstance(call.args[0], ir.Const) and isinstance(call.args[0].value, int):
        return call.args[0].value
    expr: ir.Expr = call.func
    while isinstance(expr, (ir.Attr, ir.Call)):
        if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "status" \
                and expr.args and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, int):
            return expr.args[0].value
        expr = expr.func if isinstance(expr, ir.Call) else expr.value
    return None


def html_mail_part(value: Value, args: list[Value], kwargs: dict[str, Value], q: Qualifier, call: ir.Call) -> str | None:
    """The value is the part of an e-mail a mail client renders as HTML: `MIMEText(text, "html")`;
    fastapi-mail's `body` when the message's `subtype` is html, its `alternative_body` (the other
    part of a multipart/alternative message) when the subtype is plain."""
    if ir.last_name(call.func) == "MIMEText":
        subtype = call.arg(1, "_subtype")
        return "high" if isinstance(subtype, ir.Const) and subtype.value == "html" else None
    given = call.kwarg("subtype")
    spelled = (given.value if isinstance(given, ir.Const) else ir.dotted_name(given) if given is not None else "") or ""
    html = "html" in str(spelled).lower()
    if value is kwargs.get("alternative_body"):
        return None if html else "high"
    return "high" if html and value is kwargs.get("body") else None


_PREDICATES: dict[str, Callable[[Value, list[Value], dict[str, Value], Qualifier, ir.Call], str | None]] = {
    "process-command": process_command, "url-host": url_host, "client-url": client_url, "redirect-target": redirect_target,
    "html-body": html_body, "sql-text": sql_text, "sql-fragment": sql_fragment, "unsafe-yaml-loader": unsafe_yaml_loader,
    "unsafe-xml-parser": unsafe_xml_parser, "ldap-filter": ldap_filter, "nosql-query": nosql_query,
    "log-message": log_message, "torch-unsafe": torch_unsafe, "not-file-object": not_file_object,
    "without-root-option": without_root_option, "mongo-query": mongo_query,
    "sql-client-text": sql_client_text, "xml-entities-option": xml_entities_option,
    "location-header": location_header, "html-mail-part": html_mail_part,
}


_STATEMENT_BUILDERS = frozenset({"select", "insert", "update", "delete", "union", "union_all", "exists"})
# methods only SQLAlchemy statements have (a str has none of them): `stmt.limit(n)` is still a statement
_STATEMENT_METHODS = frozenset({"where", "limit", "offset", "order_by", "group_by", "having", "options",
                                "execution_options", "returning", "select_from", "outerjoin", "filter_by",
                                "with_only_columns", "distinct", "values", "on_conflict_do_nothing",
                                "on_conflict_do_update", "subquery", "cte", "filter", "with_for_update", "join_from",
                                "add_columns", "correlate", "prefix_with", "suffix_with"})


def _statement_object(call: ir.Call) -> bool:
    """A query built by a library (SQLAlchemy Core/ORM constructs), not text."""
    name = (ir.dotted_name(call.func) or "").rsplit(".", 1)[-1]
    if name in ("text", "format", "join"):
        return False
    if isinstance(call.func, ir.Attr) and name in _STATEMENT_METHODS:
        return True
    return name in _STATEMENT_BUILDERS or name[:1].isupper() or \
        (isinstance(call.func, ir.Attr) and isinstance(call.func.value, ir.Call) and _statement_object(call.func.value))


# clause methods no text type has: on a receiver not known to be a string, the receiver is a
# query builder (a SQLAlchemy statement handed in as a parameter or back from a helper, a Django
# query set, a knex builder), and what it returns binds its values as parameters
_CLAUSE_ONLY_METHODS = frozenset({"where", "order_by", "limit", "offset", "group_by", "having", "returning", "distinct",
                                  "select_from", "filter_by", "with_only_columns", "outerjoin",
                                  "on_conflict_do_nothing", "on_conflict_do_update", "execution_options",
                                  "with_for_update", "join_from"})


def builds_statement(call: ir.Call, qualified: str | None, receiver: Value | None) -> bool:
    """A call that returns a SQLAlchemy statement: a builder (`select`, `update`, ...) imported
    from SQLAlchemy under any local name (`insert as pg_insert`), a statement method on a
    statement (`stmt.where(...)`), or a clause method on something that is not text
    (`stmt = apply_sort(stmt); stmt.limit(n)`: the helper took and returned a statement)."""
    if receiver is not None and isinstance(call.func, ir.Attr):
        if SQL_STATEMENT in receiver.tags:
            return call.func.attr in _STATEMENT_METHODS or call.func.attr in ("join", "union", "union_all", "subquery")
        if call.func.attr in _CLAUSE_ONLY_METHODS and receiver.shape is None and receiver.elements is None \
                and receiver.const is UNKNOWN:
            return True
    if not qualified or qualified.split(".", 1)[0] not in ("sqlalchemy", "sqlmodel"):
        return False
    return qualified.rsplit(".", 1)[-1].lower() in _STATEMENT_BUILDERS  # `select()` or the `Select` class
