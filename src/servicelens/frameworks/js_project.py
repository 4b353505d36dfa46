"""The project phase of JavaScript/TypeScript routes: each framework's cross-file step, in order.

Path aliases of the review's tsconfig name the modules they stand for first; then Express mounts give routes their full paths and the middleware above them; NestJS guards are
matched to routes through global registrations and decorator metadata; Fastify plugin scopes
carry their hooks into registered plugins. tRPC procedures are decided by their builders'
middleware before the mounts add the adapter's path and any mount-level middleware. Each step leaves other frameworks' routes alone.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from servicelens.analysis.facts import FileFacts
from servicelens.analysis.javascript_aliases import with_path_aliases
from servicelens.frameworks.express_mounts import with_express_mounts
from servicelens.frameworks.js_knowledge import controller_frameworks
from servicelens.frameworks.nestjs_project import with_nest_guards
from servicelens.frameworks.trpc_project import with_trpc_procedures

# frameworks whose findings are JavaScript's: `js-` rule ids, fixes in the framework's idiom
JS_FRAMEWORKS = frozenset({"express", "nestjs", "fastify", "koa", "nextjs", "trpc"}) | controller_frameworks()


def with_js_routes(facts: Sequence[FileFacts], configs: Iterable[tuple[str, str]] = ()) -> list[FileFacts]:
    """`configs`: (path, text) of the review's tsconfig/jsconfig files, whose path aliases name
    modules of the review (analysis/javascript_aliases.py)."""
    return with_nest_guards(with_express_mounts(with_trpc_procedures(with_path_aliases(facts, configs))))
