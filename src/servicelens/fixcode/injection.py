"""Fixes for injection-style findings, written against the sink's own statement.

Each rewriter takes the parsed sink statement (and the callee the taint engine named) and
returns the fixed code, or None when it cannot say anything specific about this line:
SQL becomes parameterised with the same variables, a shell string becomes an argument
list, `pickle.loads(blob)` becomes `json.loads(blob)`, an HTML string escapes the values
it splices in. Where the danger is in what the value may be rather than in how it is
used (a redirect target, a host, a path, a session value), the fix puts a check on that
very value in front of the unchanged line.
"""
from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

from servicelens.fixcode import sql
from servicelens.fixcode.source import (Statement, dotted, find_call, indent_of, is_constant_name, keyword,
                                        last_name, literal_text, string_parts, value_name, without_keyword)

Rewriter = Callable[[Statement, str, str], "str | None"]


def reject(framework: str, what: str) -> str:
    """How a handler in `framework` refuses a bad value."""
    if framework == "flask":
        return "abort(400)"
    if framework == "fastapi":
        return "raise HTTPException(status_code=400)"
    if framework == "django":
        return f'raise SuspiciousOperation("{what}")'
    return f'raise ValueError("{what}")'


def _first_dynamic(stmt: Statement, call: ast.Call) -> ast.expr | None:
    """The argument of `call` that carries data: the first non-literal positional argument."""
    for arg in call.args:
        if not isinstance(arg, ast.Constant):
            return arg
    return None


def _hoisted(stmt: Statement, node: ast.expr, name: str) -> tuple[str, str, str]:
    """(assignment line or '', the name to test, the statement using that name)."""
    if isinstance(node, ast.Name):
        return "", node.id, stmt.text
    return f"{name} = {stmt.segment(node)}\n", name, stmt.replace(node, name)


def _allowed(name: str) -> str:
    """The allowlist constant the fix asks for: `theme` -> ALLOWED_THEMES."""
    upper = name.upper()
    return f"ALLOWED_{upper}" if upper.endswith("S") else f"ALLOWED_{upper}S"


def _guarded(stmt: Statement, node: ast.expr, name: str, condition: str, framework: str, what: str) -> str:
    hoist, var, line = _hoisted(stmt, node, name)
    test = condition.format(v=var)
    return f"{hoist}if {test}:\n    {reject(framework, what)}\n{line}"


# ---------------------------------------------------------------- value checks

def _ssrf(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    url = _first_dynamic(stmt, call) if call else None
    if call is None or url is None:
        return None
    parts = string_parts(url)
    if parts and isinstance(parts[0], ast.expr) and is_constant_name(parts[0]):
        # the host is the service's own constant; only the path is the caller's: quote it
        edits = [(p, f"quote(str({stmt.segment(p)}), safe='')") for p in parts[1:] if isinstance(p, ast.expr)]
        if isinstance(url, ast.JoinedStr) and edits:
            return "from urllib.parse import quote\n\n" + stmt.replace_many(edits)  # type: ignore[arg-type]
    return _guarded(stmt, url, "url", "urlsplit({v}).hostname not in ALLOWED_HOSTS", framework,
                    "host not allowed")


def _redirect(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    target = _first_dynamic(stmt, call) if call else None
    if call is None or target is None:
        return None
    hoist, var, line = _hoisted(stmt, target, "target")
    return (f"{hoist}if urlsplit({var}).netloc or not {var}.startswith(\"/\") or {var}.startswith((\"//\", \"/\\\\\")):\n"
            f"    {var} = \"/\"  # only paths on this site\n{line}")


def _path(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    node: ast.expr | None = _first_dynamic(stmt, call) if call else None
    if node is None:
        node = next((n for n in ast.walk(stmt.node) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)), None)
    if node is None:
        return None
    base, rest = _base_and_rest(stmt, node)
    if framework == "flask" and last_name(call.func if call else node) == "send_file" and base and rest:
        return stmt.replace(call, f"send_from_directory({base}, {rest})") if call else None
    root = f"Path({base}).resolve()" if base else "ALLOWED_ROOT"
    hoist = f"path = Path({stmt.segment(node)}).resolve()\n"
    return (f"{hoist}if not path.is_relative_to({root}):\n    {reject(framework, 'path outside the allowed directory')}\n"
            + stmt.replace(node, "path"))


def _base_and_rest(stmt: Statement, node: ast.expr) -> tuple[str, str]:
    """The fixed directory a path is built on and the caller's part, when they can be told apart."""
    if isinstance(node, ast.Call) and dotted(node.func) in ("os.path.join", "path.join") and len(node.args) >= 2:
        return stmt.segment(node.args[0]), ", ".join(stmt.segment(a) for a in node.args[1:])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return stmt.segment(node.left), stmt.segment(node.right)
    parts = string_parts(node)
    if parts and isinstance(parts[0], ast.expr):
        rest = [p for p in parts[1:] if not (isinstance(p, str) and p.strip("/") == "")]
        if len(rest) == 1 and isinstance(rest[0], ast.expr):
            return stmt.segment(parts[0]), stmt.segment(rest[0])
        if rest:
            return stmt.segment(parts[0]), ""
    return "", ""


def _trust_boundary(stmt: Statement, callee: str, framework: str) -> str | None:
    node = stmt.node
    if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript)):
        return None
    target = node.targets[0]
    key = target.slice
    if not isinstance(key, ast.Constant):
        name = value_name(stmt, key, "key")
        return _guarded(stmt, key, name, f"{{v}} not in {_allowed(name)}", framework, "unknown key")
    if isinstance(node.value, ast.Constant):
        return None
    name = value_name(stmt, node.value) if not isinstance(node.value, ast.Attribute) else str(literal_text(key) or "value")
    name = re.sub(r"\W", "_", name)
    return _guarded(stmt, node.value, name, f"{{v}} not in {_allowed(name)}", framework,
                    f"unexpected {name}")


def _nosql(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    query = call.args[0] if call and call.args else None
    if query is None:
        return None
    if isinstance(query, ast.Dict):
        where = [(k, v) for k, v in zip(query.keys, query.values) if literal_text(k) == "$where"]
        if where:
            parts = string_parts(where[0][1]) or []
            field = next((m.group(1) for p in parts if isinstance(p, str) for m in [re.search(r"this\.(\w+)\s*==", p)] if m), "")
            value = next((p for p in parts if isinstance(p, ast.expr)), None)
            if field and value is not None:
                return stmt.replace(query, f'{{"{field}": {{"$eq": {stmt.segment(value)}}}}}')
            return None
        edits = [(v, f'{{"$eq": {stmt.segment(v)}}}') for v in query.values if not isinstance(v, (ast.Constant, ast.Dict))]
        return stmt.replace_many(edits) if edits else None  # type: ignore[arg-type]
    return _guarded(stmt, query, "filters",
                    "not isinstance({v}, dict) or any(not isinstance(x, (str, int, float)) for x in {v}.values())",
                    framework, "query values must be plain values")


# ---------------------------------------------------------------- neutralise in place

def _escape_name(framework: str) -> str:
    return {"flask": "escape", "django": "escape"}.get(framework, "html.escape")


def _xss(stmt: Statement, callee: str, framework: str) -> str | None:
    escape = _escape_name(framework)
    node = stmt.node
    call = next((c for c in stmt.calls() if last_name(c.func) in ("mark_safe", "Markup", "SafeString")), None)
    if call is not None and call.args:
        inner = call.args[0]
        if last_name(call.func) == "Markup" and isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Mod):
            # Markup's own `%` escapes the values it formats in
            return stmt.replace(call, f"{stmt.segment(call.func)}({stmt.segment(inner.left)}) % {stmt.segment(inner.right)}")
        return stmt.replace(call, f"{escape}({stmt.segment(inner)})")
    target = find_call(stmt, callee) if callee else None
    candidates = [node.value] if isinstance(node, ast.Return) and node.value is not None else []
    candidates += [c.args[0] for c in ([target] if target else []) + stmt.calls() if c.args]
    for candidate in candidates:
        parts = string_parts(candidate)
        if parts and any(isinstance(p, str) and "<" in p for p in parts):
            edits = [(p, f"{escape}({stmt.segment(p)})") for p in parts if isinstance(p, ast.expr)]
            return stmt.replace_many(edits)  # type: ignore[arg-type]
    value = target.args[0] if target is not None and target.args else candidates[0] if candidates else None
    if value is None:
        return None
    if target is not None and last_name(target.func) == "HttpResponse" and keyword(target, "content_type") is None:
        return stmt.text[:stmt.span(target)[1] - 1] + ', content_type="text/plain")' + stmt.text[stmt.span(target)[1]:]
    if isinstance(node, ast.Return) and framework == "flask":
        return stmt.replace(value, f'Response({stmt.segment(value)}, mimetype="text/plain")')
    return stmt.replace(value, f"{escape}({stmt.segment(value)})")


def _log(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    message = call.args[0] if call and call.args else None
    parts = string_parts(message) if message is not None else None
    if not parts:
        return None
    template = "".join(p.replace("%", "%%") if isinstance(p, str) else "%r" for p in parts)
    values = ", ".join(stmt.segment(p) for p in parts if isinstance(p, ast.expr))
    return stmt.replace(message, f"{_quote(template)}, {values}")  # type: ignore[arg-type]


def _template(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    source = call.args[0] if call and call.args else None
    if source is None:
        return None
    parts = string_parts(source) or [source]
    context: list[str] = []
    text = ""
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            name = value_name(stmt, part)
            context.append(f"{name}={stmt.segment(part)}")
            text += "{{ " + name + " }}"
    if not context:
        return None
    if last_name(call.func) == "Template":  # type: ignore[union-attr]
        return stmt.replace(call, f"{stmt.segment(call.func)}({_quote(text)}).render({', '.join(context)})")  # type: ignore[union-attr,arg-type]
    return stmt.replace(call, f"{stmt.segment(call.func)}({_quote(text)}, {', '.join(context)})")  # type: ignore[union-attr,arg-type]


def _ldap(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    if call is None:
        return None
    edits = []
    for arg in call.args:
        parts = string_parts(arg)
        if parts and any(isinstance(p, str) and "=" in p for p in parts):
            edits += [(p, f"escape_filter_chars({stmt.segment(p)})") for p in parts if isinstance(p, ast.expr)]
    if not edits:
        return None
    module = "ldap.filter" if last_name(call.func).endswith("_s") else "ldap3.utils.conv"
    return f"from {module} import escape_filter_chars\n\n" + stmt.replace_many(edits)  # type: ignore[arg-type]


def _xpath(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    query = call.args[0] if call and call.args else None
    parts = string_parts(query) if query is not None else None
    if not parts or call is None:
        return None
    text, variables = "", []
    for part in parts:
        if isinstance(part, str):
            text += part
        else:
            name = value_name(stmt, part)
            name = "value" if name == "id" else name
            text = re.sub(r"""['"]$""", "", text) + "$" + name
            variables.append(f"{name}={stmt.segment(part)}")
    text = re.sub(r"""\$(\w+)['"]""", r"$\1", text)
    if last_name(call.func) == "XPath":  # compiled: variables go to the evaluation
        return stmt.replace(query, _quote(text)) + f"  # evaluate with ({', '.join(variables)})"
    return stmt.replace(call, f"{stmt.segment(call.func)}({_quote(text)}, {', '.join(variables)})")


def _redos(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee) or find_call(stmt, names=("search", "match", "fullmatch", "compile", "findall", "sub"))
    pattern = call.args[0] if call and call.args else None
    if pattern is None or isinstance(pattern, ast.Constant):
        return None
    return stmt.replace(pattern, f"re.escape({stmt.segment(pattern)})")


def _weak_random(stmt: Statement, callee: str, framework: str) -> str | None:
    swaps = {"choice": "secrets.choice", "getrandbits": "secrets.randbits", "randbytes": "secrets.token_bytes"}
    edits = []
    for call in stmt.calls():
        name = dotted(call.func)
        if name.startswith("random.") or name.startswith("numpy.random.") or name.startswith("np.random."):
            method = name.rsplit(".", 1)[-1]
            edits.append((call.func, swaps.get(method, f"secrets.SystemRandom().{method}")))
    if edits:
        return "import secrets\n\n" + stmt.replace_many(edits)  # type: ignore[arg-type]
    node = stmt.node
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
        return f"import secrets\n\n{node.value.id} = secrets.token_urlsafe(32)\n{stmt.text}"
    return None


# ---------------------------------------------------------------- replace the API

_DESERIALISERS = {"loads": "json.loads", "load": "json.load", "decode": "json.loads", "Unpickler": None}


def _deserialization(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    if call is None:
        return None
    name = dotted(call.func)
    module = name.split(".")[0]
    if module == "yaml":
        start, end = stmt.span(call.func)
        safe = re.sub(r"(unsafe_load|full_load|load)(_all)?$", r"safe_load\2", stmt.text[start:end])
        fixed = without_keyword(stmt, call, "Loader")  # the keyword follows the name: offsets hold
        return fixed[:start] + safe + fixed[end:]
    method = name.rsplit(".", 1)[-1]
    replacement = _DESERIALISERS.get(method)
    if replacement is None:
        return None
    return "import json\n\n" + stmt.replace(call.func, replacement) + "  # data, never objects"


def _xxe(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    if call is None:
        return None
    name = dotted(call.func)
    if name.startswith(("etree.", "lxml.etree.")):
        safe = "etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)"
        if len(call.args) >= 2:
            return stmt.replace(call.args[1], safe)
        return stmt.text[:stmt.span(call)[1] - 1] + f", {safe})" + stmt.text[stmt.span(call)[1]:]
    for std, safe_module in (("xml.dom.minidom.", "defusedxml.minidom"), ("minidom.", "defusedxml.minidom"),
                             ("xml.etree.ElementTree.", "defusedxml.ElementTree"), ("ElementTree.", "defusedxml.ElementTree"),
                             ("ET.", "defusedxml.ElementTree"), ("xml.sax.", "defusedxml.sax"), ("pulldom.", "defusedxml.pulldom")):
        if name.startswith(std):
            method = name.rsplit(".", 1)[-1]
            fixed = stmt.replace(call, f"{safe_module}.{method}({stmt.segment(call.args[0])})") if call.args else \
                stmt.replace(call.func, f"{safe_module}.{method}")
            return f"import {safe_module}\n\n{fixed}"
    return None


def _code(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    arg = call.args[0] if call and call.args else None
    if call is None or arg is None:
        return None
    name = last_name(call.func)
    if name == "eval":
        return "import ast\n\n" + stmt.replace(call.func, "ast.literal_eval") + "  # literals only, no names or calls"
    parts = string_parts(arg)
    if name == "exec" and parts and isinstance(parts[0], str):
        assigned = re.fullmatch(r"\s*(\w+)\s*=\s*", parts[0])
        if assigned and len(parts) == 2 and isinstance(parts[1], ast.expr):
            return f"import ast\n\n{assigned.group(1)} = ast.literal_eval({stmt.segment(parts[1])})"
    value = next((p for p in (parts or [arg]) if isinstance(p, ast.expr)), None)
    if value is None:
        return None
    var = value_name(stmt, value, "choice")
    return _guarded(stmt, value, var, f"{{v}} not in {_allowed(var)}", framework, f"unknown {var}")


def _command(stmt: Statement, callee: str, framework: str) -> str | None:
    call = find_call(stmt, callee)
    command = call.args[0] if call and call.args else None
    if call is None or command is None:
        return None
    parts = string_parts(command)
    if parts is None and isinstance(command, ast.Constant):
        return None
    if parts is None:
        argv = command.elts[0] if isinstance(command, ast.List) and command.elts else command
        var = value_name(stmt, argv, "program")
        subject = f"{stmt.segment(argv)}[0]" if argv is command and not isinstance(command, ast.List) else stmt.segment(argv)
        return f"if {subject} not in ALLOWED_PROGRAMS:\n    {reject(framework, f'{var} not allowed')}\n{stmt.text}"
    argv = _argv(stmt, parts)
    if argv is None:
        return None
    fixed = without_keyword(stmt, call, "shell")
    head_end = stmt.span(command)
    fixed = fixed[:head_end[0]] + argv + fixed[head_end[1]:]
    if dotted(call.func) == "os.system":
        return "import subprocess\n\n" + stmt.replace(call, f"subprocess.run({argv}, check=True)")
    if dotted(call.func) == "os.popen":
        return "import subprocess\n\n" + stmt.replace(
            call, f"subprocess.run({argv}, capture_output=True, text=True, check=True).stdout")
    return fixed


def _argv(stmt: Statement, parts: list[str | ast.expr]) -> str | None:
    """`f"tar -xzf {archive} -C /srv"` -> `["tar", "-xzf", archive, "-C", "/srv"]`."""
    words: list[list[str | ast.expr]] = [[]]
    for part in parts:
        if isinstance(part, str):
            for index, chunk in enumerate(re.split(r"(\s+)", part)):
                if chunk.isspace():
                    words.append([])
                elif chunk:
                    words[-1].append(chunk)
        else:
            words[-1].append(part)
    out = []
    for word in (w for w in words if w):
        if len(word) == 1 and isinstance(word[0], ast.expr):
            out.append(stmt.segment(word[0]))
        elif all(isinstance(p, str) for p in word):
            out.append(_quote("".join(word)))  # type: ignore[arg-type]
        else:
            out.append("f" + _quote("".join(p if isinstance(p, str) else "{" + stmt.segment(p) + "}" for p in word)))
    if any(re.search(r"[|;&`$<>]", o) for o in out if o.startswith('"')):
        return None  # a real shell pipeline: an argv list would change what it does
    return "[" + ", ".join(out) + "]"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


REWRITERS: Mapping[str, Callable[[Statement, str, str], str | None]] = MappingProxyType({
    "sql-injection": sql.parameterise,
    "command-injection": _command,
    "code-injection": _code,
    "insecure-deserialization": _deserialization,
    "xxe": _xxe,
    "ssrf": _ssrf,
    "open-redirect": _redirect,
    "path-traversal": _path,
    "trust-boundary": _trust_boundary,
    "nosql-injection": _nosql,
    "xss": _xss,
    "header-injection": _log,
    "template-injection": _template,
    "ldap-injection": _ldap,
    "xpath-injection": _xpath,
    "redos": _redos,
    "weak-random": _weak_random,
})


def rewrite_sink(concern: str, code: str, callee: str, framework: str) -> str | None:
    """The sink statement `code` rewritten for `concern`, indentation of the line kept off."""
    from servicelens.fixcode.source import statement

    rewriter = REWRITERS.get(concern)
    stmt = statement(code)
    if rewriter is None or stmt is None:
        return None
    try:
        fixed = rewriter(stmt, callee, framework)
    except (ValueError, IndexError, AttributeError, SyntaxError):
        return None  # an unusual shape of line: no rewrite rather than a wrong one
    if not fixed or fixed.strip() == stmt.text.strip():
        return None
    return fixed + "\n    ...  # body unchanged" if fixed.rstrip().endswith(":") else fixed


__all__ = ["REWRITERS", "reject", "rewrite_sink", "indent_of"]
