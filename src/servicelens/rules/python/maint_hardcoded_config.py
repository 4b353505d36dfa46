"""Hosts, ports and internal URLs written into the code that connects to them.

## What it finds
A literal (or a module constant holding one) passed to an HTTP client, database, cache,
queue or mail connection when it names a deployment-specific endpoint: an IP address,
`localhost`, an internal host name (`db`, `redis.internal`, `*.svc.cluster.local`,
`*.local`, `*.corp`), an explicit non-default port, or `host=` / `port=` keywords.
Settings modules and tests are skipped: they are configuration by definition.

## Why it matters
The same build cannot run in staging and production: moving the database, failing over
to a replica or adding TLS needs a code change and a deploy, usually during the incident
that required the move. Hard-coded `localhost` endpoints work on a laptop and fail
silently in containers.

## Example
```python
cache = redis.Redis(host="10.0.3.17", port=6379)
```

## Fix
Read it from configuration: `redis.Redis.from_url(settings.REDIS_URL)` /
`os.environ["REDIS_URL"]`, with the default in the settings module.

Not reported: the wildcard address `0.0.0.0` / `::` (`web.TCPSite(runner, host="0.0.0.0")`,
`socket.bind(("0.0.0.0", 8080))`). It means "every interface of this machine": it is where a
server listens, which inside a container is the right value, and nothing can connect to it.

## Known problems
Public SaaS API base URLs (`https://api.stripe.com`) are not reported: they are stable
and usually wrapped by an SDK. Values built at run time are not seen.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.fixcode.endpoints import constant_from_env, literal_from_env
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.python._common import call_name, const_str, is_settings_module, is_test_path, module_constants
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python.rel_shared import is_tooling_path
from servicelens.taint.scope import ModuleScope

_CLIENTS = re.compile(
    r"^(requests|httpx|aiohttp|urllib\.request|urllib3|redis|aioredis|psycopg2?|pymysql|MySQLdb|pymongo|motor|"
    r"pika|kafka|aiokafka|smtplib|ftplib|elasticsearch|sqlalchemy\.create_engine|sqlalchemy\.ext\.asyncio|"
    r"asyncpg|boto3|celery|socket)(\.|$)")
_INTERNAL_HOST = re.compile(
    r"^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\d+\.\d+\.\d+\.\d+|[a-z0-9-]+|.+\.(local|internal|corp|lan|svc|"
    r"cluster\.local|intranet))$", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+]*://(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?", re.IGNORECASE)
_DEFAULT_PORTS = {"80", "443"}
# "every interface": a server's own listen address, never a place to connect to
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", "[::]"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or is_settings_module(module) or is_tooling_path(module.path) \
            or "example" in module.path.lower():
        return
    if not any(_CLIENTS.match(imp.target) for imp in module.imports):
        return  # no client library imported: nothing here connects anywhere
    constants = {name: const_str(stmt.value) for name, stmt in module_constants(module).items()}
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        for call in index.block_of_kind(body, ir.Call):
            api = call_name(call, scope, function)
            if not _CLIENTS.match(api):
                continue
            hit = _endpoint(call, constants)
            if hit is not None:
                yield _finding(module, call, api, *hit, fix=_fix(module, call, api, hit[1], constants))


def _endpoint(call: ir.Call, constants: dict[str, str | None]) -> tuple[str, str] | None:
    """(what, value) of the first deployment-specific endpoint among the call's arguments."""
    for arg in (*call.args[:2], *(k.value for k in call.kwargs if k.name in ("url", "host", "dsn", "hosts",
                                                                          "bootstrap_servers", "endpoint_url"))):
        value = const_str(arg)
        if value is None and isinstance(arg, ir.FormattedString) and arg.parts:
            arg = arg.parts[0]  # f"{BASE_URL}/path": the host comes from the first part
        if value is None and isinstance(arg, ir.Name):
            value = constants.get(arg.id)
        if value and _deployment_specific(value):
            return "endpoint", value
    host = call.kwarg("host")
    if const_str(host) and _INTERNAL_HOST.match(const_str(host) or "") and const_str(host) not in _WILDCARD_HOSTS:
        return "host", const_str(host) or ""
    return None


def _deployment_specific(value: str) -> bool:
    if value.rsplit(":", 1)[0] in _WILDCARD_HOSTS or value in _WILDCARD_HOSTS:
        return False  # bound to, not connected to
    match = _URL.match(value)
    if match:
        host, port = match.group(1), match.group(2)
        if host in _WILDCARD_HOSTS:
            return False
        return bool(_INTERNAL_HOST.match(host)) or (port is not None and port not in _DEFAULT_PORTS)
    return bool(re.fullmatch(r"(localhost|\d+\.\d+\.\d+\.\d+)(:\d+)?", value))


def _fix(module: ir.Module, call: ir.Call, api: str, value: str, constants: dict[str, str | None]) -> Fix:
    """The constant holding the endpoint, or the call holding the literal, read from the environment."""
    holder = ""
    for arg in (*call.args, *(k.value for k in call.kwargs)):
        first = arg.parts[0] if isinstance(arg, ir.FormattedString) and arg.parts else arg
        if isinstance(first, ir.Name) and constants.get(first.id) == value:
            holder = first.id
    code = constant_from_env(holder, value) if holder else \
        literal_from_env("\n".join(module.lines[call.line - 1:(call.end_line or call.line)]), value, api)
    return Fix("Read the endpoint from configuration (settings or environment), with the default kept in the "
               "settings module.", code or "", "python" if code else "")


def _finding(module: ir.Module, call: ir.Call, api: str, what: str, value: str, fix: Fix) -> Finding:
    return make_finding(
        "hardcoded-config", Location(module.path, call.line, call.end_line or call.line),
        f"`{api}` connects to a hard-coded {what} `{value}`",
        "The same build cannot run in staging and production: moving this dependency, failing over or adding "
        "TLS needs a code change and a deploy, usually in the middle of the incident that forced the move; "
        "`localhost` endpoints work on a laptop and fail inside containers.",
        severity=Severity.LOW, confidence=Confidence.HIGH if what == "endpoint" else Confidence.MEDIUM,
        fix=fix,
        rule=RULE.id, key=value,
    )


RULE = Rule("py-hardcoded-config", frozenset({"hardcoded-config"}), "python", check)
