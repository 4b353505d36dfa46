"""Properties of the whole contract: rate limiting and versioning, one finding per document.

    api-no-rate-limit   no 429 response, no RateLimit/Retry-After header and no gateway
                        throttling extension anywhere
    api-unversioned     no version in servers/basePath/host, path prefix, media type,
                        or a version header/query parameter
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens.contracts.checks_security import is_public_path
from servicelens.contracts.context import ContractContext
from servicelens.contracts.operations import STATE_CHANGING, Operation
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.infra.yamldoc import YNode
from servicelens.model.finding import Confidence, Finding

_VERSION_SEGMENT = re.compile(r"(^|[/.])v\d+([./-]\d+)*(?=$|[/.-])|/\d{4}-\d{2}-\d{2}(/|$)|/\d+\.\d+(/|$)|"
                              r"/api/\d+(/|$)", re.IGNORECASE)
_VERSION_MEDIA = re.compile(r"version=|vnd\.[\w.-]*v\d|\.v\d+\+", re.IGNORECASE)


def _has_extension(node: YNode, names: frozenset[str], depth: int = 0) -> bool:
    """Any `x-ratelimit`-like key anywhere (gateways configure throttling via extensions)."""
    if depth > 6:
        return False
    for key, _, value in node.entries():
        if key.startswith("x-") and key.lower().replace("-", "_") in names:
            return True
        if value.is_map and _has_extension(value, names, depth + 1):
            return True
    return False


def check_rate_limit(ctx: ContractContext) -> Iterator[Finding]:
    policy = ctx.policy
    if not ctx.ops:
        return
    for op in ctx.ops:
        for response in op.responses:
            if response.code == "429" or any(policy.has(policy.rate_limit_headers, h) for h in response.headers):
                return
    if _has_extension(ctx.doc.root, policy.rate_limit_extensions):
        return
    for op in ctx.ops:
        if _has_extension(op.node, policy.rate_limit_extensions):
            return
    ranked = sorted(ctx.ops, key=lambda o: (not is_public_path(policy, o.path), o.method not in STATE_CHANGING))
    line = ctx.doc.key_line("paths")
    yield infra_finding(
        "api-no-rate-limit", ctx.doc.rel, ctx.doc.lines, line,
        f"None of the {len(ctx.ops)} operations documents rate limiting (no 429, RateLimit or Retry-After)",
        "Clients cannot tell throttling from failure, so they retry immediately and amplify the "
        "overload; and if no limit exists at all, login, search and write endpoints are open to "
        "brute force and scraping (OWASP API4).",
        rule="openapi-no-rate-limit", key="document", confidence=Confidence.MEDIUM,
        evidence=tuple(step(o.rel, ctx.lines_of(o.rel), o.line, f"{o.label}: no 429 documented")
                       for o in ranked[:8]),
        fix=yaml_fix("Document the limit on every operation via a shared response.",
                     "components:\n  responses:\n    TooManyRequests:\n      description: Rate limit exceeded\n"
                     "      headers:\n        Retry-After: {schema: {type: integer}}\n"
                     "        RateLimit: {schema: {type: string}}\n"
                     "# on each operation:\n#   '429': {$ref: '#/components/responses/TooManyRequests'}"),
    )


def _versioned_params(ctx: ContractContext, op: Operation) -> bool:
    policy = ctx.policy
    for param in op.params:
        if param.where == "header" and policy.has(policy.version_header_params, param.name):
            return True
        if param.where == "query" and policy.has(policy.version_query_params, param.name):
            return True
    return False


def _server_urls(ctx: ContractContext) -> list[str]:
    root = ctx.doc.root
    if ctx.doc.is_swagger:
        return [f"{(root.get(k).text() or '') if root.get(k) is not None else ''}" for k in ("host", "basePath")]
    servers = root.get("servers")
    urls = []
    for item in servers.items() if servers is not None else []:
        url = item.get("url")
        urls.append((url.text() or "") if url is not None else "")
        variables = item.get("variables")
        for _, _, var in variables.entries() if variables is not None else []:
            default = var.get("default")
            urls.append((default.text() or "") if default is not None else "")
    return urls


def _versioned(ctx: ContractContext, key: str) -> str:
    """The document's own servers, basePath or paths with the major version added."""
    if key == "basePath":
        base = (ctx.doc.root.get("basePath").text() or "").rstrip("/")  # type: ignore[union-attr]
        return f"basePath: {base}/v1"
    urls = [u for u in _server_urls(ctx) if u]
    if key == "servers" and urls:
        return "servers:\n" + "\n".join(f"  - url: {u.rstrip('/')}/v1" for u in urls)
    paths = list(dict.fromkeys(op.path for op in ctx.ops))[:4]
    listed = "\n".join(f"  /v1{p}:  # was {p}" for p in paths)
    return f"paths:\n{listed}" + ("\n  # ... every path likewise" if len(ctx.ops) > len(paths) else "")


def check_versioning(ctx: ContractContext) -> Iterator[Finding]:
    if not ctx.ops:
        return
    if any(_VERSION_SEGMENT.search(u) for u in _server_urls(ctx)):
        return
    if any(_VERSION_SEGMENT.search(op.path) or _versioned_params(ctx, op) for op in ctx.ops):
        return
    media = [m for op in ctx.ops for m, _ in op.bodies] + [m for op in ctx.ops for r in op.responses for m, _ in r.schemas]
    if any(_VERSION_MEDIA.search(m) for m in media):
        return
    root = ctx.doc.root
    key = "basePath" if ctx.doc.is_swagger and root.get("basePath") is not None else \
        "servers" if root.get("servers") is not None else "paths"
    yield infra_finding(
        "api-unversioned", ctx.doc.rel, ctx.doc.lines, ctx.doc.key_line(key),
        "The API has no version in its URL, media type or headers",
        "`info.version` documents the document, not the wire: without a version clients can "
        "select, the first breaking change must either break every client at once or never ship.",
        rule="openapi-unversioned", key="document", confidence=Confidence.HIGH,
        fix=yaml_fix("Put the major version where clients choose it, e.g. the server URL.", _versioned(ctx, key)),
    )
