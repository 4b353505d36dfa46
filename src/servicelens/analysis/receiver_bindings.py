"""Which binding a call's receiver uses: the calling function's own before one elsewhere in the module.

Rules type a receiver by its name across a module: `session = requests.Session()` in one function
makes `session.get(url)` a call on a requests session wherever `session` is spelled, and
`client = httpx.Client()` makes `client.get(url)` a blocking call. A function that binds the name
itself (`async with httpx.AsyncClient() as client:`, `session = aiohttp.ClientSession(...)`, `conn =
await pool.acquire()`) calls through its own binding: a same-named client bound by another function
says nothing about it. Every rule that types receivers by name asks `rebound` the same way, each with
its own notion of what builds the client it looks for (missing-timeout: a requests session;
blocking-call-in-async: a synchronous client or connection; query-in-loop: a Redis client).
"""
from __future__ import annotations

from typing import Callable, Mapping

from servicelens import ir


def rebound(name: str, assigns: Mapping[str, ir.Expr], builds_client: Callable[[ir.Expr], bool]) -> bool:
    """The function binds `name` itself (`assigns`: its names to the last value bound to each, `with`
    targets included) to a value `builds_client` does not accept: its calls on `name` are not calls
    on the client a same-named binding elsewhere in the module holds."""
    local = assigns.get(name)
    return local is not None and not builds_client(local)
