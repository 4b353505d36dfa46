"""Where a client's address comes from (analysis/client_peer.py), read from data flow."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from servicelens import ir
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.model.finding import REQUEST_ONLY, USES
from servicelens.analysis.client_peer import Origin, address_origin
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool

_HEADER = "import os\nfrom conf import settings\nBROKER = os.environ['BROKER_URL']\n"


def _origin(body: str, address: str) -> Origin:
    """The origin of `address` evaluated at the end of `def f(tenant, self_host=None)`."""
    source = _HEADER + "def f(self, tenant):\n" + "".join(f"    {line}\n" for line in body.splitlines()) \
        + f"    target = {address}\n"
    tree = ParserPool().parse("python", source.encode())
    module = lower_module(tree.root_node, "m.py", tuple(source.splitlines()))
    function = next(fn for fn in module.functions if fn.name == "f")
    assigns: dict[str, ir.Expr] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1:
            assigns[ir.dotted_name(stmt.targets[0]) or ""] = stmt.value
    expr = assigns.pop("target")
    return address_origin(expr, assigns, frozenset(p.name for p in function.params))


@pytest.mark.parametrize(("body", "address"), [
    ("", "settings.CACHE_URL"),
    ("", "BROKER"),
    ("", "os.environ.get('CACHE_HOST', 'localhost')"),
    ("url = settings.REDIS_URL", "url"),
    ("", "f\"redis://{settings.CACHE_HOST}:{settings.CACHE_PORT}/0\""),
    ("", "settings.CACHES['default']['LOCATION']"),
    ("", "settings.CACHE_URL or 'redis://localhost'"),
])
def test_configured(body: str, address: str) -> None:
    assert _origin(body, address) is Origin.CONFIGURED


@pytest.mark.parametrize(("body", "address"), [
    ("", "tenant.cache_host"),
    ("", "self.host"),
    ("host = tenant['redis']", "f'redis://{host}:6379'"),
    ("", "settings.CACHE_URL if tenant is None else tenant.url"),
])
def test_handed_in(body: str, address: str) -> None:
    assert _origin(body, address) is Origin.HANDED_IN


@pytest.mark.parametrize(("address", "expected"), [
    ("'localhost'", Origin.LOCAL),
    ("'redis://127.0.0.1:6379/1'", Origin.LOCAL),
    ("'/var/run/redis.sock'", Origin.LOCAL),
    ("'redis://cache.partner.example:6379'", Origin.LITERAL),
    ("'queue-host'", Origin.LITERAL),
])
def test_literals(address: str, expected: Origin) -> None:
    assert _origin("", address) is expected


def test_no_address_is_the_library_default_on_this_machine() -> None:
    assert address_origin(None, {}, frozenset()) is Origin.LOCAL


def test_missing_timeout_says_where_a_clients_cost_falls(tmp_path: Path) -> None:
    """A call that waits costs where it runs; a client built to be kept costs its users (so one
    built at start-up is still reported); the deployment's own Redis, and a sidecar on this
    machine, only where a request builds or calls it."""
    (tmp_path / "clients.py").write_text(dedent("""
        import httpx
        import redis
        import requests
        from django.conf import settings


        def fetch(url):
            return requests.get(url)


        def build_http():
            return httpx.AsyncClient(timeout=None)


        def partner(host):
            return redis.Redis(host=host)


        def own_cache():
            return redis.from_url(settings.CACHE_URL)


        def faces(photo_id):
            return requests.post(f"http://localhost:8005/faces/{photo_id}")


        def partner_faces(base, photo_id):
            return requests.post(f"{base}/faces/{photo_id}")
        """))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    cost = {f.location.start_line: f.cost_at for f in report.findings}
    assert cost == {9: "", 13: USES, 17: USES, 21: REQUEST_ONLY, 25: REQUEST_ONLY, 29: ""}


def test_fields_of_a_class_the_module_builds_from_configuration(tmp_path: Path) -> None:
    """A field `__init__` binds from its parameter is where the module's constructions of the class
    got it: configuration (an argument or a default read from config) makes the client the
    deployment's own store (REQUEST_ONLY); one construction handing in a tenant's address, or no
    construction in the module, keeps it handed in (USES)."""
    (tmp_path / "stores.py").write_text(dedent("""\
        import redis
        from redis import asyncio as aioredis
        from conf import settings


        class Broadcast:
            def __init__(self, uri):
                self.uri = uri

            async def start(self):
                self.client = await aioredis.from_url(self.uri)


        class Counters:
            def __init__(self, host=settings.COUNTER_HOST, port=6379):
                self.host = host
                self.port = port

            def client(self):
                return redis.StrictRedis(host=self.host, port=self.port)


        class TenantCache:
            def __init__(self, host):
                self.host = host

            def client(self):
                return redis.StrictRedis(host=self.host)


        class Partner:
            def __init__(self, conf):
                self.conf = conf

            def client(self):
                return redis.Redis(host=self.conf.host)


        broadcast = Broadcast(settings.BROADCAST_URI)


        def bump(key):
            Counters().client().incr(key)


        def tenant_cache(tenant):
            return TenantCache(settings.DEFAULT_CACHE_HOST), TenantCache(tenant.cache_host)
        """))
    report = review(tmp_path, Settings(use_cache=False, profile="extended", select=frozenset({"missing-timeout"})))
    cost = {f.location.start_line: f.cost_at for f in report.findings}
    assert cost == {11: REQUEST_ONLY, 20: REQUEST_ONLY, 28: USES, 36: USES}
