"""The overview: services, their endpoints and auth, datastores, queues, outbound calls,
deployable units, and a Mermaid diagram of how they connect."""
from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath
from typing import Iterable, Iterator, Mapping, Sequence

from servicelens.analysis.base import AnalysisResult, Project
from servicelens.analysis.facts import FileFacts
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.django_urls import resolve_view_paths, view_path
from servicelens.model.finding import Finding, Location, Severity
from servicelens.model.report import Datastore, Deployable, Endpoint, OutboundCall, Overview, Service
from servicelens.render.safe_text import mermaid_label

CODE_KINDS = ("python", "javascript", "typescript", "java", "go")
_SERVICE_MARKERS = ("Dockerfile", "requirements.txt", "pyproject.toml", "package.json", "go.mod", "pom.xml",
                    "build.gradle", "build.gradle.kts", "setup.py", "manage.py")
DATASTORE_IMPORTS = {
    "psycopg2": "postgresql", "psycopg": "postgresql", "asyncpg": "postgresql", "pymysql": "mysql",
    "MySQLdb": "mysql", "aiomysql": "mysql", "sqlite3": "sqlite", "aiosqlite": "sqlite", "pymongo": "mongodb",
    "motor": "mongodb", "mongoengine": "mongodb", "redis": "redis", "aioredis": "redis",
    "elasticsearch": "elasticsearch", "cassandra": "cassandra", "boto3": "aws (boto3)",
    "sqlalchemy": "sql database (SQLAlchemy)", "sqlmodel": "sql database (SQLModel)",
    "django.db": "sql database (Django ORM)", "peewee": "sql database (peewee)", "tortoise": "sql database (Tortoise)",
    "flask_sqlalchemy": "sql database (Flask-SQLAlchemy)", "pika": "rabbitmq", "memcache": "memcached",
    "pymemcache": "memcached",
    # npm packages, read from JS/TS imports
    "pg": "postgresql", "mysql2": "mysql", "mongodb": "mongodb", "mongoose": "mongodb", "ioredis": "redis",
    "sequelize": "sql database (Sequelize)", "typeorm": "sql database (TypeORM)", "@prisma/client": "sql database (Prisma)",
    "knex": "sql database (knex)", "better-sqlite3": "sqlite",
}
QUEUE_IMPORTS = {"celery": "celery", "kombu": "amqp (kombu)", "pika": "rabbitmq", "aio_pika": "rabbitmq",
                 "kafka": "kafka", "aiokafka": "kafka", "confluent_kafka": "kafka", "rq": "redis queue (rq)",
                 "dramatiq": "dramatiq", "nats": "nats",
                 "amqplib": "rabbitmq", "kafkajs": "kafka", "bullmq": "redis queue (BullMQ)", "bull": "redis queue (Bull)"}
HTTP_CLIENT_IMPORTS = ("requests", "httpx", "aiohttp", "urllib3", "urllib.request", "grpc",
                       "axios", "got", "node-fetch", "undici", "superagent", "needle")  # the last six: npm
FRAMEWORK_IMPORTS = {"flask": "Flask", "django": "Django", "rest_framework": "Django REST framework",
                     "fastapi": "FastAPI", "starlette": "Starlette", "connexion": "Connexion",
                     "tornado": "Tornado", "aiohttp.web": "aiohttp.web", "sanic": "Sanic", "falcon": "Falcon",
                     "pyramid": "Pyramid", "bottle": "Bottle", "quart": "Quart", "litestar": "Litestar",
                     "graphene": "Graphene (GraphQL)", "strawberry": "Strawberry (GraphQL)", "ariadne": "Ariadne (GraphQL)",
                     "celery": "Celery", "sqlalchemy": "SQLAlchemy", "pydantic": "Pydantic",
                     "express": "Express", "@nestjs/core": "NestJS", "@nestjs/common": "NestJS", "fastify": "Fastify",
                     "koa": "Koa", "@koa/router": "Koa", "koa-router": "Koa"}  # the last seven: npm packages


_HTTP_CLIENTS = frozenset(HTTP_CLIENT_IMPORTS)  # asked for membership; the order of its matches does not matter


def python_frameworks(imports: Iterable[str]) -> set[str]:
    return {prefix for target in imports for prefix in under(target, FRAMEWORK_IMPORTS)}


def under(target: str, table: Mapping[str, object] | Sequence[str]) -> list[str]:
    """The entries `prefix` of `table` with `target == prefix or target.startswith(prefix + ".")`,
    in the table's order. Every import of every file is asked against each table once per
    review, after the workers, so the candidates are the target's own dotted prefixes
    (`a`, `a.b`, `a.b.c`) rather than every entry."""
    parts = target.split(".")
    if len(parts) == 1:
        return [target] if target in table else []
    found = [prefix for prefix in (".".join(parts[:i]) for i in range(1, len(parts) + 1)) if prefix in table]
    if len(found) > 1:
        order = list(table)
        found.sort(key=order.index)
    return found


def build_overview(project: Project, facts: Sequence[FileFacts], results: Sequence[AnalysisResult],
                   findings: Sequence[Finding]) -> Overview:
    roots = service_roots(project, facts)
    by_root: dict[str, list[FileFacts]] = {r: [] for r in roots}
    for fact in facts:
        by_root[service_of(fact.rel, roots)].append(fact)
    deployables = [d for r in results for d in r.deployables]
    paths = view_paths(facts)
    services = tuple(_service(root, project, by_root[root], deployables, roots, paths)
                     for root in roots if by_root[root] or _has_code(project, root, roots) or root == "")
    services = tuple(s for s in services if s.endpoints or s.languages or s.deployables) or services[:1]
    languages = Counter(f.kind for f in project.files if f.kind in CODE_KINDS)
    return Overview(
        services=services,
        languages=tuple(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        diagram=_diagram(services),
        severity_counts=severity_counts(findings),
    )


def severity_counts(findings: Sequence[Finding]) -> tuple[tuple[str, int], ...]:
    """Findings per severity, critical to low, every level present."""
    counts = Counter(f.severity for f in findings)
    return tuple((s.value, counts.get(s, 0)) for s in Severity)


def service_roots(project: Project, facts: Sequence[FileFacts]) -> list[str]:
    roots = {""}
    # a `setup.py` marks a package only when it is a packaging script; `config/settings/loggers/setup.py`
    # holding a `LoggersSetup` class is just a module
    packaging = {f.rel for f in facts if PurePosixPath(f.rel).name == "setup.py"
                 and any(i.split(".")[0] in ("setuptools", "distutils") for i in f.imports)}
    for source in project.files:
        path = PurePosixPath(source.rel)
        if path.name == "setup.py" and source.rel not in packaging:
            continue
        if path.name in _SERVICE_MARKERS or source.kind == "dockerfile":
            parent = str(path.parent)
            roots.add("" if parent == "." else parent)
    return sorted(roots)


def service_of(rel: str, roots: list[str]) -> str:
    best = ""
    for root in roots:
        if root and (rel == root or rel.startswith(root + "/")) and len(root) > len(best):
            best = root
    return best


def _has_code(project: Project, root: str, roots: list[str]) -> bool:
    return any(f.kind in CODE_KINDS and service_of(f.rel, roots) == root for f in project.files)


def _service(root: str, project: Project, facts: list[FileFacts], deployables: list[Deployable],
             roots: list[str], paths: Mapping[str, str]) -> Service:
    imports = {i for f in facts for i in f.imports}
    frameworks = sorted({FRAMEWORK_IMPORTS[p] for p in python_frameworks(imports)})
    languages = sorted({f.kind for f in project.files if f.kind in CODE_KINDS and service_of(f.rel, roots) == root})
    return Service(
        name=PurePosixPath(root).name if root else (project.root.name or "service"),
        root=root or ".",
        languages=tuple(languages),
        frameworks=tuple(frameworks),
        endpoints=tuple(_endpoints(facts, paths)),
        datastores=tuple(_datastores(facts)),
        queues=tuple(sorted({QUEUE_IMPORTS[p] for _, p in _import_hits(facts, QUEUE_IMPORTS)})),
        outbound_calls=tuple(_outbound(facts)),
        deployables=tuple(d for d in deployables if d.location is None or service_of(d.location.path, roots) == root),
    )


_UNBOUND = {"tornado": "(bound in the Application's URL specs)", "django": "(bound in urls.py)",
            "connexion": "(operationId not found in the OpenAPI documents)"}
_DETAIL_ACTIONS = ("retrieve", "update", "partial_update", "destroy")


def view_paths(facts: Sequence[FileFacts]) -> dict[str, str]:
    """Django views' URL paths, from every module's urlpatterns."""
    patterns = {fact.module_name: fact.url_patterns for fact in facts if fact.url_patterns}
    return resolve_view_paths(patterns) if patterns else {}


def endpoints_of(fact: FileFacts, paths: Mapping[str, str] | None = None) -> list[Endpoint]:
    out = []
    for route in fact.routes:
        path = route.path or _bound_path(fact, route, paths or {}) or \
            _UNBOUND.get(route.framework, "(registered elsewhere)")
        for method in route.methods:
            out.append(Endpoint(method, path, f"{fact.module_name}.{route.qualname}",
                                Location(fact.rel, route.line), route.framework, route.auth, route.auth_evidence))
    return out


def _bound_path(fact: FileFacts, route: RouteFact, paths: Mapping[str, str]) -> str:
    direct = view_path(paths, f"{fact.module_name}.{route.qualname}")
    if direct:
        return direct
    owner, _, action = route.qualname.rpartition(".")
    base = view_path(paths, f"{fact.module_name}.{owner}") if owner else None
    if base and route.path_suffix:
        return base.rstrip("/") + "/" + route.path_suffix
    if base and action in _DETAIL_ACTIONS:
        return base.rstrip("/") + "/<pk>/"
    return base or ""


def _endpoints(facts: list[FileFacts], paths: Mapping[str, str]) -> list[Endpoint]:
    out = [e for fact in facts for e in endpoints_of(fact, paths)]
    return sorted(out, key=lambda e: (e.path, e.method, e.handler))


def _datastores(facts: list[FileFacts]) -> list[Datastore]:
    found: dict[str, Datastore] = {}
    for fact, prefix in _import_hits(facts, DATASTORE_IMPORTS):
        kind = DATASTORE_IMPORTS[prefix]
        if kind not in found:
            found[kind] = Datastore(kind, prefix, Location(fact.rel, 1))
    return [found[k] for k in sorted(found)]


def _outbound(facts: list[FileFacts]) -> list[OutboundCall]:
    found: dict[str, OutboundCall] = {}
    for fact, client in _import_hits(facts, _HTTP_CLIENTS):
        if client not in found:
            found[client] = OutboundCall(client, "dynamic", Location(fact.rel, 1))
    return [found[k] for k in sorted(found)]


def _import_hits(facts: Sequence[FileFacts], table: Mapping[str, object] | frozenset[str]
                 ) -> Iterator[tuple[FileFacts, str]]:
    """(file, entry of `table` one of its imports is under), in file and import order. Each distinct
    import is matched once: thousands of files import the same few thousand modules (saleor: 21k
    imports, 4.5k distinct), and the main process does this after the workers, serially."""
    matched: dict[str, list[str]] = {}
    for fact in facts:
        for target in fact.imports:
            found = matched.get(target)
            if found is None:
                found = matched[target] = under(target, table)
            for entry in found:
                yield fact, entry


def _diagram(services: Sequence[Service]) -> str:
    lines = ["flowchart LR", "  client([Client])"]
    for index, service in enumerate(services):
        sid = f"svc{index}"
        label = mermaid_label(service.name) + (
            f"<br/>{mermaid_label(', '.join(service.frameworks[:2]))}" if service.frameworks else "")
        lines.append(f'  {sid}["{label}"]')
        if service.endpoints:
            lines.append(f"  client -->|{len(service.endpoints)} endpoints| {sid}")
        for j, store in enumerate(service.datastores):
            lines.append(f'  {sid} --> {sid}db{j}[("{mermaid_label(store.kind)}")]')
        for j, queue in enumerate(service.queues):
            lines.append(f'  {sid} --> {sid}q{j}>"{mermaid_label(queue)}"]')
        for j, call in enumerate(service.outbound_calls):
            lines.append(f'  {sid} -.->|{mermaid_label(call.client)}| {sid}ext{j}(("external HTTP"))')
    return "\n".join(lines)
