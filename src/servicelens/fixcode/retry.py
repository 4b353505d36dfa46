"""Retries made safe where they are written: the decorator, the Retry policy or the loop itself.

A tenacity/backoff decorator gets the bound or the backoff it lacks (its other arguments
kept); a hand-written `while True`/`for ... in range(n)` retry loop around one `try` that
returns becomes the same function under a bounded tenacity decorator with the try body as
its body; a retried POST or charge gets an idempotency key made once, outside the attempts.
"""
from __future__ import annotations

import ast
import textwrap

from servicelens.fixcode.source import find_call, keyword, last_name, statement, with_keywords

STOP = "stop_after_attempt({})"
WAIT = "wait_exponential_jitter(initial=0.5, max=10)"
_BODY = "    ...  # body unchanged"


def tenacity_decorator(decorator: str, def_line: str) -> str | None:
    """`@retry` / `@retry(stop=...)` with the missing stop and wait added, over the function."""
    fixed = with_keywords(decorator, "retry", {"stop": STOP.format(5), "wait": WAIT})
    if fixed is None:
        return None
    return (f"from tenacity import retry, stop_after_attempt, wait_exponential_jitter\n\n"
            f"{fixed}\n{def_line}\n{_BODY}")


def backoff_decorator(decorator: str, def_line: str) -> str | None:
    fixed = with_keywords(decorator, "on_exception", {"max_tries": "5", "max_time": "30"})
    return f"{fixed}\n{def_line}\n{_BODY}" if fixed else None


def retry_policy(code: str, idempotent_only: bool) -> str | None:
    """A urllib3 `Retry(...)` with backoff, and (when it also retried POST) the default methods."""
    keywords = {"allowed_methods": "Retry.DEFAULT_ALLOWED_METHODS"} if idempotent_only else {"backoff_factor": "0.5"}
    fixed = with_keywords(code, "Retry", keywords, replace_existing=idempotent_only)
    if fixed is not None and idempotent_only:  # the older spelling of the same setting goes
        stmt = statement(fixed)
        call = find_call(stmt, "Retry") if stmt else None
        old = keyword(call, "method_whitelist") if call else None
        if old is not None and stmt is not None:
            start, end = stmt.span(old)
            head, tail = stmt.text[:start].rstrip(), stmt.text[end:]
            fixed = (head[:-1] + tail) if head.endswith(",") else head + tail.lstrip(", ")
    return fixed


def loop_as_decorator(def_line: str, try_body: str, attempts: int, caught: str = "") -> str | None:
    """The function whose body is a retry loop around one `try`, as that try body under a bounded
    tenacity decorator retrying what the loop caught (`caught`, an exception expression); None
    unless the try body ends by returning (the loop's only success exit)."""
    body = textwrap.dedent(try_body).strip("\n")
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Return) \
            or any(isinstance(n, (ast.Break, ast.Continue)) for n in ast.walk(tree)):
        return None
    indented = textwrap.indent(body, "    ")
    only = f", retry=retry_if_exception_type({caught})" if caught else ""
    names = "retry, retry_if_exception_type, stop_after_attempt" if caught else "retry, stop_after_attempt"
    return (f"from tenacity import {names}, wait_exponential_jitter\n\n"
            f"@retry(stop={STOP.format(attempts)}, wait={WAIT}{only}, reraise=True)\n{def_line}\n{indented}")


def with_idempotency_key(code: str, key: str = "idempotency_key") -> str | None:
    """The POST or charge in `code` sending `key` as its idempotency key: a Stripe-style
    `idempotency_key=` argument, else an `Idempotency-Key` header (merged into a literal
    `headers={...}` when there is one)."""
    stmt = statement(code)
    if stmt is None:
        return None
    call = next((c for c in stmt.calls() if last_name(c.func) in ("post", "create", "charge", "capture")), None)
    if call is None:
        return None
    if last_name(call.func) != "post":
        return with_keywords(stmt.text, last_name(call.func), {"idempotency_key": key})
    headers = keyword(call, "headers")
    if headers is not None and isinstance(headers.value, ast.Dict):
        end = stmt.span(headers.value)[1] - 1
        sep = ", " if headers.value.keys else ""
        return stmt.text[:end] + f'{sep}"Idempotency-Key": {key}' + stmt.text[end:]
    if headers is not None:
        return stmt.replace(headers.value, f'{{**{stmt.segment(headers.value)}, "Idempotency-Key": {key}}}')
    return with_keywords(stmt.text, "post", {"headers": f'{{"Idempotency-Key": {key}}}'})

