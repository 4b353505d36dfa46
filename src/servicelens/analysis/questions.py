"""Open questions: what the review needed and did not find, and what it assumed instead."""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from servicelens.analysis.authentication import STATE_CHANGING
from servicelens.analysis.base import AnalysisResult, Project
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.manifests import declared_packages
from servicelens.analysis.overview import python_frameworks
from servicelens.endpoints.unread import authenticated_by_name_only
from servicelens.frameworks.js_knowledge import unmodelled_js_frameworks
from servicelens.model.report import OpenQuestion, Overview
from servicelens.taint.models import load_models

_PARTLY_MODELLED = {"aiohttp.web": "aiohttp.web"}  # request data followed; routes only partly inventoried
# (Falcon is modelled: responders bound by `add_route`, hooks and app middleware judged, endpoints/falcon_apps.py)
_UNMODELLED = {"sanic": "Sanic", "pyramid": "Pyramid",
               "bottle": "Bottle", "quart": "Quart", "litestar": "Litestar",
               }
_NOT_YET = {"java": "Java", "go": "Go"}
_JS_KINDS = {"javascript": "JavaScript", "typescript": "TypeScript"}


def open_questions(project: Project, facts: Sequence[FileFacts], results: Sequence[AnalysisResult],
                   overview: Overview) -> tuple[OpenQuestion, ...]:
    questions: list[OpenQuestion] = [q for r in results for q in r.open_questions]
    kinds = Counter(f.kind for f in project.files)
    imports = {i for f in facts for i in f.imports}
    frameworks = python_frameworks(imports)
    declared = {pkg for f in project.files if f.kind == "manifest" for pkg in declared_packages(f.rel, f.text)}
    for prefix, name in sorted(_PARTLY_MODELLED.items()):
        if prefix in frameworks or prefix.split(".")[0] in declared:
            questions.append(OpenQuestion(
                f"{name} routes registered with `app.router.add_route`/`add_get` are not inventoried (only "
                f"`@routes.get(...)` decorators are), and auth is not judged for {name} endpoints (it usually lives "
                "in a middleware): which middleware authenticates requests?",
                "Request data read through a handler's `request` parameter is still treated as untrusted.",
                "framework coverage"))
    for prefix, name in sorted(_UNMODELLED.items()):
        if prefix in frameworks or prefix.split(".")[0] in declared:
            questions.append(OpenQuestion(
                f"{name} handlers are not modelled: their endpoints were not inventoried or reviewed for auth, "
                "and their request data is not treated as untrusted.",
                f"Findings cover the {name} code only where it calls modelled libraries.", "framework coverage"))
    for kind, name in _NOT_YET.items():
        if kinds.get(kind):
            questions.append(OpenQuestion(
                f"{kinds[kind]} {name} file(s) were found but {name} code analysis is not available in this version.",
                f"The {name} code was not reviewed; only Python code, container and Kubernetes files and API contracts were.",
                "language coverage"))
    questions.extend(_javascript_coverage(kinds, imports, overview))
    if not any(kinds.get(k) for k in ("dockerfile", "kubernetes", "compose")):
        questions.append(OpenQuestion(
            "No deployment configuration (Dockerfile, docker-compose, Kubernetes manifests) was found: how is this "
            "service deployed, with how many replicas, what limits and health checks?",
            "Operational concerns (root containers, limits, probes, replicas) were not reviewed.", "deployment"))
    unknown_auth = [e for s in overview.services for e in s.endpoints if e.auth == "unknown"]
    if unknown_auth:
        questions.append(OpenQuestion(
            f"{len(unknown_auth)} endpoint(s) have no auth check the review could read (e.g. Django/DRF views without "
            "decorators or permission_classes, or a decorator or dependency from a library it cannot read): is "
            "authentication enforced by middleware, DEFAULT_PERMISSION_CLASSES or that decorator?",
            "These endpoints are listed with auth 'unknown' and were not reported as missing authentication.", "auth"))
    questions.extend(_unread_authenticators(facts, declared))
    for service in overview.services:
        open_writes = [e for e in service.endpoints if e.auth == "none" and e.method in STATE_CHANGING]
        if not open_writes or any(e.auth == "required" for e in service.endpoints):
            continue
        shown = ", ".join(f"{e.method} {e.path or e.handler}" for e in open_writes[:3])
        which = f"service `{service.root}`" if service.root not in ("", ".") else "this service"
        questions.append(OpenQuestion(
            f"No endpoint of {which} requires authentication in its code, and {len(open_writes)} change state "
            f"({shown}): is every request authenticated before it reaches the service (an API gateway, a mesh "
            "policy, a middleware in another repository)? Declare it with `auth-middleware` in [tool.servicelens].",
            "Missing authentication is reported only where a service's code authenticates some endpoints and not "
            "others; these endpoints were not reported.", "auth"))
    uses_db = any(i.startswith(("django.db", "sqlalchemy", "sqlmodel", "psycopg", "asyncpg", "pymysql", "sqlite3"))
                  for i in imports)
    has_schema = any(f.rel.endswith(".sql") or "/migrations/" in f"/{f.rel}" or f.rel.endswith("models.py")
                     for f in project.files)
    if uses_db and not has_schema:
        questions.append(OpenQuestion(
            "The code talks to a SQL database but no schema, models or migrations were found: which columns are indexed?",
            "Missing-index findings could not be judged.", "schema"))
    if facts:
        questions.append(OpenQuestion(
            "What traffic does this service take (requests per second at peak, largest tables)?",
            "Performance findings are rated for a service under production load of thousands of requests per minute; "
            "an internal tool with little traffic may rank them lower.", "traffic"))
    return tuple(questions)


def _unread_authenticators(facts: Sequence[FileFacts], declared: set[str]) -> list[OpenQuestion]:
    """Routes counted as authenticated only because a decorator's name says so, where the decorator
    is defined nowhere the review can read (a git submodule left out of the tree, a package installed
    another way): ask rather than let the guess pass for a reading."""
    models = load_models()
    known = frozenset(models.auth_decorators | models.authenticating_decorators | models.auth_dependencies)
    named = authenticated_by_name_only((f.module_name for f in facts if f.language == "python"),
                                       (r for f in facts if f.language == "python" for r in f.routes), known)
    if not named:
        return []
    shown = ", ".join(f"`@{n.ref.rsplit('.', 1)[-1]}` from `{n.ref.rsplit('.', 1)[0]}` ({n.routes} routes)"
                      for n in named[:4])
    packages = sorted({n.ref.split(".")[0] for n in named})
    undeclared = [p for p in packages if p.lower().replace("_", "-") not in declared and p.lower() not in declared]
    where = (f"; {', '.join(f'`{p}`' for p in undeclared)} is neither in the reviewed tree nor a declared dependency "
             "(a git submodule or a package installed another way?)") if undeclared else ""
    return [OpenQuestion(
        f"{sum(n.routes for n in named)} endpoint(s) count as requiring authentication only because of the names of "
        f"decorators the review could not read: {shown}{where}. Do they refuse a caller who is not signed in, "
        "and which roles or permissions do they admit?",
        "These endpoints are listed with auth 'required' on the strength of the decorator's name: missing "
        "authentication is not reported there, and who may call them was not judged.", "auth")]


def _javascript_coverage(kinds: Counter, imports: set[str], overview: Overview) -> list[OpenQuestion]:
    """JS/TS code whose web framework is not modelled (models/node/frameworks.yaml `unmodelled`),
    or in which no endpoint was found at all: request data, auth and per-route checks then have
    nothing to start from, and the reader should know why the endpoint list is empty."""
    files = sum(kinds.get(k, 0) for k in _JS_KINDS)
    if not files:
        return []
    questions: list[OpenQuestion] = []
    for package, name in sorted(unmodelled_js_frameworks().items()):
        if any(i == package or i.startswith(package + "/") or i.startswith(package + ".") for i in imports):
            questions.append(OpenQuestion(
                f"{name} routes are not modelled: its endpoints were not inventoried or reviewed for auth, and its "
                "request data is not treated as untrusted.",
                f"Findings cover the {name} code only where it calls modelled libraries.", "framework coverage"))
    if questions:
        return questions
    # a service written in JS/TS (a Python service's bundled front-end scripts are not one) in
    # which no endpoint was found
    for service in overview.services:
        written_in = [name for kind, name in _JS_KINDS.items() if kind in service.languages]
        if not written_in or service.endpoints or any(k in service.languages for k in ("python",)):
            continue
        which = f"service `{service.root}`" if service.root not in ("", ".") else "this service"
        questions.append(OpenQuestion(
            f"No HTTP endpoint was found in the {' and '.join(written_in)} code of {which} (routes are read for "
            "Express, NestJS controllers and GraphQL resolvers, Fastify and Koa): which framework serves it, and how "
            "are its routes declared (file-based routing, a framework of its own)?",
            "Checks that start from an endpoint (authentication, object authorization, rate limits, request data "
            "reaching sinks) had nothing to start from in this code; the other rules ran.", "framework coverage"))
    return questions
