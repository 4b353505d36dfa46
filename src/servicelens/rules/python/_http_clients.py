"""The HTTP client calls whose requests take a `timeout=` (models/vocabulary/http_clients.yaml).

Not a rule (it defines no RULE): one list, read once, for the two missing-timeout rules
(perf_missing_timeout judges the calls; perf_factory_timeout follows a project factory's `timeout`
parameter into them), so that a client added to one is known to both.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from servicelens.rules.python._purpose import vocabulary_file


@dataclass(frozen=True, slots=True)
class HttpClients:
    verbs: frozenset[str]  # `get`, `post`, ...: what a request is sent with
    requests: frozenset[str]  # `requests.get`, `requests.api.post`: no timeout unless given one
    sessions: frozenset[str]  # `requests.Session`: its requests have no timeout unless given one
    httpx_clients: frozenset[str]  # `httpx.Client`, `httpx.AsyncClient`
    httpx: frozenset[str]  # the clients and `httpx.get`, `httpx.stream`, ...: 5 s unless `timeout=None`
    aiohttp: frozenset[str] = frozenset()  # `aiohttp.ClientSession`: 300 s unless a timeout with no limit
    # timeout classes -> their limit parameters in order (`aiohttp.ClientTimeout(total=None)` has none)
    unlimited: tuple[tuple[str, tuple[str, ...]], ...] = ()


@lru_cache(maxsize=1)
def http_clients() -> HttpClients:
    data = vocabulary_file("http_clients.yaml")
    verbs = frozenset(data["verbs"])
    clients = frozenset(data["httpx_clients"])
    functions = verbs | frozenset(data["httpx_functions"])
    return HttpClients(
        verbs=verbs,
        requests=frozenset(f"{module}.{verb}" for module in data["requests_modules"] for verb in verbs),
        sessions=frozenset(data["requests_sessions"]),
        httpx_clients=clients,
        httpx=clients | frozenset(f"{data['httpx_module']}.{function}" for function in functions),
        aiohttp=frozenset(data.get("aiohttp_clients") or ()),
        unlimited=tuple((str(name), tuple(map(str, limits)))
                        for name, limits in (data.get("unlimited_timeouts") or {}).items()),
    )
