"""A synchronous call to a dependency wrapped in a circuit breaker, in its own statement.

`price = requests.get(url, timeout=10).json()` -> `price = pricing_breaker.call(requests.get,
url, timeout=10).json()` inside a `try` whose handler is where the fallback goes; the breaker
is named after the dependency (`PRICING_URL` -> `pricing_breaker`, `fx.example.com` -> `fx_breaker`)
and declared once at module level so every request shares its state.
"""
from __future__ import annotations

import ast
import re

from servicelens.fixcode.source import find_call, last_name, statement, string_parts

_ERRORS = {"requests": "requests.RequestException", "httpx": "httpx.HTTPError", "urllib": "OSError",
           "urlopen": "OSError", "urllib3": "urllib3.exceptions.HTTPError"}


def breaker_name(call: ast.Call) -> str:
    """`<dependency>_breaker`, after the URL constant or host the call goes to."""
    url = call.args[0] if call.args else None
    parts = string_parts(url) if url is not None else None
    first = (parts or [url])[0] if url is not None else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        first = first.value
    if isinstance(first, (ast.Name, ast.Attribute)):
        base = last_name(first).lower()
        base = re.sub(r"_?(url|uri|host|base|endpoint|api)$", "", base)
        if base.isidentifier():
            return f"{base}_breaker"
    if isinstance(first, str):
        host = re.match(r"https?://([a-z0-9-]+)", first)
        if host:
            return f"{host.group(1).replace('-', '_')}_breaker"
    return "dependency_breaker"


def with_breaker(code: str, callee: str) -> str | None:
    """The statement `code` with its call to `callee` made through a breaker, with a fallback."""
    stmt = statement(code)
    call = find_call(stmt, callee) if stmt is not None else None
    if stmt is None or call is None or stmt.text.rstrip().endswith(":"):
        return None
    name = breaker_name(call)
    args = [stmt.segment(call.func)] + [stmt.segment(a) for a in call.args] + \
        [f"{k.arg}={stmt.segment(k.value)}" if k.arg else f"**{stmt.segment(k.value)}" for k in call.keywords]
    wrapped = stmt.replace(call, f"{name}.call({', '.join(args)})")
    error = _ERRORS.get(callee.split(".", 1)[0], "")
    caught = f"(pybreaker.CircuitBreakerError, {error})" if error else "pybreaker.CircuitBreakerError"
    body = "\n".join(f"    {line}" for line in wrapped.split("\n"))
    return (f"import pybreaker\n\n{name} = pybreaker.CircuitBreaker(fail_max=5, reset_timeout=30)  # module level: "
            f"shared by every request\n\ntry:\n{body}\nexcept {caught}:\n"
            "    ...  # the fallback: a cached value, a default, or 503 with Retry-After")
