"""What a JS/TS response body is sent as: the content type a handler set, and each framework's
default for a string body.

A string is an HTML page only when the response says so or the framework defaults to it:

  - Express `res.send(string)` answers `text/html` unless a Content-Type was set before
    (`res.type('xml')`, `res.set('Content-Type', 'text/csv')`, `res.setHeader(...)`,
    `res.contentType(...)`, `res.attachment(name)` which also types it by the file's extension);
    an object, an array or a Buffer is sent as JSON or bytes, never as a page;
  - Fastify `reply.send(string)` answers `text/plain; charset=utf-8` unless `reply.type(...)` or
    `reply.header('content-type', ...)` said otherwise; objects go through the JSON serializer.

A Content-Security-Policy written in the code that lets no script run (`sandbox` without
`allow-scripts`, or `default-src 'none'` / `script-src 'none'`) makes whatever the response is typed
as a page without scripts, so it counts as not HTML however it is typed.

HTML, XHTML and SVG (`image/svg+xml` runs its scripts when opened) are pages; a type computed at
run time is not known and leaves the framework's default. The type is read from the send call's own chain (`res.status(200).type('xml').send(x)`) and from
statements on the same response object earlier in the function (`res.type('csv'); ...; res.send(x)`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens import ir

_TYPE_METHODS = frozenset({"type", "contentType"})
_HEADER_METHODS = frozenset({"set", "header", "setHeader", "writeHead"})
_CONTENT_TYPE = "content-type"
_CSP = "content-security-policy"
NO_SCRIPTS = "no-scripts"  # what a script-blocking Content-Security-Policy makes of any type
_FASTIFY_REPLY = "FastifyReply"


@dataclass(frozen=True, slots=True)
class DeclaredType:
    """A content type a handler gave its response: the text, or `attachment` (a download)."""

    text: str

    @property
    def is_html(self) -> bool:
        """A type the browser runs scripts in when it renders it: HTML, XHTML, and SVG."""
        text = self.text.lower()
        return text != NO_SCRIPTS and ("html" in text or "svg" in text)


def declared_type(call: ir.Call, function: ir.Function | None,
                  functions: Mapping[str, ir.Function] | None = None) -> DeclaredType | None:
    """The content type the response `call` is sent on was given, if one was (the last before it):
    in the function, or, for a callback written inside a handler (`onChunk => res.write(...)`),
    in the functions around it before the callback (`res.setHeader('Content-Type',
    'text/event-stream')` at the top of the handler)."""
    chain_root, chained = _chain(call)
    if chained is not None:
        return chained
    if function is None or not chain_root:
        return None
    line = call.line
    while function is not None:
        found = _given_before(function, chain_root, line)
        if found is not None:
            return found
        line = function.line
        function = functions.get(function.parent) if functions is not None and function.parent else None
    return None


def _given_before(function: ir.Function, chain_root: str, line: int) -> DeclaredType | None:
    found: DeclaredType | None = None
    for stmt in ir.walk_stmts(function.body):
        if stmt.line >= line:
            continue
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    root, given = _chain(node, own=True)
                    if given is not None and root == chain_root and (found is None or found.text != NO_SCRIPTS):
                        found = given  # the last type given, unless an earlier policy turned scripts off
    return found


def on_fastify_reply(call: ir.Call, function: ir.Function | None) -> bool:
    """The response `call` is sent on is a parameter declared `FastifyReply` (a controller function
    the routes register from another file, where the route's framework is not known here)."""
    root, _ = _chain(call)
    if function is None or not root:
        return False
    for param in function.params:
        if param.name == root and param.annotation is not None:
            declared = ir.dotted_name(param.annotation) or ""
            if declared.rsplit(".", 1)[-1] == _FASTIFY_REPLY:
                return True
    return False


def _chain(call: ir.Call, own: bool = False) -> tuple[str, DeclaredType | None]:
    """The response object a call chain starts from and the type the chain sets (the receivers of
    `call` only, or `call` itself too when `own`)."""
    node: ir.Expr = call if own else call.func
    given: DeclaredType | None = None
    while True:
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr):
            sets = _sets_type(node)
            if given is None or (sets is not None and sets.text == NO_SCRIPTS):
                given = sets if sets is not None else given  # the type closest to the send, unless scripts are off
            node = node.func.value
        elif isinstance(node, ir.Attr):
            node = node.value
        else:
            break
    return (ir.dotted_name(node) or ""), given


def _sets_type(call: ir.Call) -> DeclaredType | None:
    method = call.func.attr if isinstance(call.func, ir.Attr) else ""
    if method in _TYPE_METHODS and call.args:
        return _text(call.args[0])
    if method == "attachment":
        return DeclaredType("attachment")
    if method in _HEADER_METHODS and call.args:
        first = call.args[0]
        if method == "writeHead" and len(call.args) > 1:
            first = call.args[-1]
        if isinstance(first, ir.Const) and isinstance(first.value, str) and len(call.args) > 1:
            if first.value.lower() == _CSP:
                return DeclaredType(NO_SCRIPTS) if _blocks_scripts(call.args[1]) else None
            return _text(call.args[1]) if first.value.lower() == _CONTENT_TYPE else None
        if isinstance(first, ir.DictExpr):
            for key, value in zip(first.keys, first.values):
                if isinstance(key, ir.Const) and str(key.value).lower() == _CONTENT_TYPE:
                    return _text(value)
    return None


def _blocks_scripts(policy: ir.Expr) -> bool:
    """A policy written out that lets no script run: a sandbox without `allow-scripts`, or scripts'
    source (or the default source, when scripts have none of their own) set to `'none'`."""
    if not (isinstance(policy, ir.Const) and isinstance(policy.value, str)):
        return False
    directives = {part.strip().split(" ", 1)[0].lower(): part.strip().lower() for part in policy.value.split(";")
                  if part.strip()}
    if "sandbox" in directives and "allow-scripts" not in directives["sandbox"]:
        return True
    scripts = directives.get("script-src") or directives.get("default-src") or ""
    return scripts.split()[1:] == ["'none'"]


def _text(expr: ir.Expr) -> DeclaredType | None:
    """A type written out; one computed at run time (`map[ext] || 'text/plain'`) may be HTML, and
    counts as not given."""
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return DeclaredType(expr.value)
    return None
