"""Cache writes and reads rewritten where they are: a TTL on the write, a lock around the refill.

`r.set(key, value)` -> `r.set(key, value, ex=300 + random.randint(0, 30))`;
`cache.set(k, v, None)` -> the timeout instead of None; `@lru_cache` on a query -> an
expiring `ttl_cache`; a hot cache-aside read gets a single-flight lock on the same client
and key, with the recomputation and the write the code already has inside it.
"""
from __future__ import annotations

import ast

from servicelens.fixcode.source import find_call, keyword, last_name, statement, with_keywords

TTL = "300 + random.randint(0, 30)"  # jitter: keys written together do not expire together


def with_ttl(code: str, redis: bool) -> str | None:
    """The cache write `code` with an expiry: `ex=` for Redis, `timeout` for Django's cache."""
    stmt = statement(code)
    call = find_call(stmt, names=("set", "setex", "hset", "set_many", "add")) if stmt else None
    if stmt is None or call is None:
        return None
    name = last_name(call.func)
    if redis:
        return with_keywords(stmt.text, name, {"ex": TTL})
    timeout = call.args[2] if len(call.args) > 2 else (keyword(call, "timeout").value if keyword(call, "timeout") else None)
    if timeout is not None:
        return stmt.replace(timeout, TTL) if isinstance(timeout, ast.Constant) and timeout.value is None else None
    return with_keywords(stmt.text, name, {"timeout": TTL})


def expiring_decorator(decorator: str, def_line: str, ttl: int = 300) -> str | None:
    """`@lru_cache(maxsize=N)` over a query as cachetools' `@ttl_cache(maxsize=N, ttl=300)`."""
    stmt = statement(decorator.lstrip("@"))
    if stmt is None or not def_line:
        return None
    node = stmt.node.value if isinstance(stmt.node, ast.Expr) else None
    size = keyword(node, "maxsize") if isinstance(node, ast.Call) else None
    bounded = size is not None and not (isinstance(size.value, ast.Constant) and size.value.value is None)
    maxsize = stmt.segment(size.value) if bounded and size is not None else "1024"
    return (f"from cachetools.func import ttl_cache\n\n@ttl_cache(maxsize={maxsize}, ttl={ttl})  "
            f"# expires; a shared cache (Redis) also gives every worker the same copy\n{def_line}\n    ...  # body unchanged")


def single_flight(read: str, compute: str, write: str, redis: bool) -> str | None:
    """The cache-aside read, the recomputation and the write, with one request at a time refilling
    the key: a short lock on the same client and key (SET NX / cache.add)."""
    read_stmt, write_stmt = statement(read), statement(write)
    get = find_call(read_stmt, names=("get",)) if read_stmt else None
    if read_stmt is None or write_stmt is None or get is None or not get.args \
            or not isinstance(read_stmt.node, ast.Assign) or not isinstance(get.func, ast.Attribute):
        return None
    client = read_stmt.segment(get.func.value)
    key = read_stmt.segment(get.args[0])
    value = read_stmt.segment(read_stmt.node.targets[0])
    lock = f'f"{{{key}}}:lock"' if not key.startswith(("'", '"', "f'", 'f"')) else f"{key} + \":lock\""
    take = f"{client}.set({lock}, 1, nx=True, ex=30)" if redis else f"{client}.add({lock}, 1, timeout=30)"
    refill = with_ttl(write, redis) or write_stmt.text
    compute_text = statement(compute)
    if compute_text is None:
        return None
    return (f"{read_stmt.text}\nif {value} is None and {take}:  # one request refills; the others wait and re-read\n"
            f"    {compute_text.text}\n    {refill}\n    {client}.delete({lock})")
