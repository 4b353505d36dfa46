"""What the API sends back: unpaged collections, sensitive fields, and error shapes.

    api-no-pagination        GET returning an array (or {items: [...]}) with no paging
                             parameter, field, header or maxItems; per operation
    excessive-data-exposure  password hashes, card codes, MFA secrets ... in 2xx responses
    api-inconsistent-errors  error responses of one document with different shapes; once
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

from servicelens.contracts.context import ContractContext
from servicelens.contracts.operations import Operation, Response
from servicelens.contracts.refs import Target
from servicelens.contracts.schemas import Owner, WalkSet, properties_of, walk
from servicelens.fixcode.manifests import under
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.model.finding import Confidence, Finding, Severity


def _success(op: Operation) -> list[Response]:
    return [r for r in op.responses if r.code.startswith("2")]


def check_pagination(ctx: ContractContext) -> Iterator[Finding]:
    policy = ctx.policy
    for op in ctx.ops:
        if op.method != "GET" or any(policy.has(policy.paging_params, p.name) for p in op.params):
            continue
        for response in _success(op)[:1]:
            if any(policy.has(policy.paging_headers, h) for h in response.headers):
                continue
            for _, schema in response.schemas[:1]:
                shape = _collection_shape(ctx, op, schema)
                if shape is None:
                    continue
                yield infra_finding(
                    "api-no-pagination", op.rel, ctx.lines_of(op.rel), op.line,
                    f"{op.label} returns {shape} with no way to page through it",
                    "The response grows with the data: fine at launch, then one customer with "
                    "100k rows makes this call time out, and every client must download everything "
                    "to show the first screen.",
                    rule="openapi-no-pagination", key=op.label, confidence=Confidence.MEDIUM,
                    fix=yaml_fix("Accept a page size and cursor, and return the next cursor.",
                                 under(f"{op.path}:", under(f"{op.method.lower()}:",
                                       "parameters:\n  - {name: limit, in: query, schema: {type: integer, minimum: 1, "
                                       "maximum: 100, default: 20}}\n  - {name: cursor, in: query, schema: {type: "
                                       "string, maxLength: 200}}\n# response: {items: [...], next_cursor: string | null}"))),
                )


def _collection_shape(ctx: ContractContext, op: Operation, schema: Target) -> str | None:
    """'an array' / 'a list in `items`' when the response is an unbounded collection."""
    last_segment = op.path.rstrip("/").rsplit("/", 1)[-1].lower()
    if any(word in last_segment for word in ctx.policy.reference_collections):
        return None  # regions, sizes, versions ...: small reference lists nobody pages
    resolved = ctx.resolver.resolve(schema.node, schema.rel)
    node = resolved.node
    kinds = set(node.get("type").strings()) if node.get("type") is not None else set()
    if "array" in kinds:
        return None if node.get("maxItems") is not None else "an array"
    props = properties_of(ctx.resolver, resolved)
    if not props or any(ctx.policy.has(ctx.policy.paging_fields, name) for name in props):
        return None
    last = op.path.rstrip("/").rsplit("/", 1)[-1].lower()
    arrays = [name for name, value in props.items() if _is_unbounded_array(value)]
    if len(arrays) == 1 and (ctx.policy.has(ctx.policy.collection_fields, arrays[0]) or arrays[0] == last):
        return f"a list in `{arrays[0]}`"
    return None


def _is_unbounded_array(value: Target) -> bool:
    kind = value.node.get("type")
    return kind is not None and "array" in kind.strings() and value.node.get("maxItems") is None


def check_sensitive_responses(ctx: ContractContext) -> Iterator[Finding]:
    seen = WalkSet()
    reported: set[tuple[str, int]] = set()
    for op in ctx.ops:
        for response in _success(op):
            for _, schema in response.schemas:
                for slot in walk(ctx.resolver, schema, Owner(op.label, op.rel, op.line), f"{op.label} response", seen):
                    if not slot.name or slot.write_only or (slot.rel, slot.line) in reported:
                        continue
                    if not ctx.policy.has(ctx.policy.sensitive_response_fields, slot.name):
                        continue
                    delivery = _credential_delivery(ctx, slot.owner.name, slot.rel)
                    if delivery and ctx.policy.norm(slot.name) in ("password", "passwd", "secret_key", "private_key"):
                        continue
                    reported.add((slot.rel, slot.line))
                    yield infra_finding(
                        "excessive-data-exposure", slot.rel, ctx.lines_of(slot.rel), slot.line,
                        f"Response of {op.label} includes `{slot.name}` ({slot.owner.name})",
                        "A field like this should never leave the server: once it is in a response "
                        "schema it reaches browsers, logs, caches and every client SDK, and an "
                        "offline attack (hash cracking, card fraud, MFA bypass) needs nothing more.",
                        rule="openapi-sensitive-response-field", key=f"{slot.owner.name}.{slot.name}",
                        severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                        fix=yaml_fix("Remove it from the response schema (or mark input-only fields "
                                     "writeOnly) and serialise an explicit allow-list.",
                                     f"{slot.name}:\n  type: string\n  writeOnly: true"),
                    )


def _credential_delivery(ctx: ContractContext, owner: str, rel: str) -> bool:
    """Connection strings and credential objects exist to hand a secret to its owner."""
    text = f"{owner} {rel.rsplit('/', 1)[-1]}".lower()
    return any(word in text for word in ctx.policy.credential_objects)


def _error_shape(ctx: ContractContext, schema: Target) -> str:
    props = properties_of(ctx.resolver, schema)
    if props:
        return "{" + ", ".join(sorted(props)) + "}"
    resolved = ctx.resolver.resolve(schema.node, schema.rel).node
    kind = resolved.get("type")
    return f"<{(kind.text() if kind is not None else None) or 'any'}>"


def check_error_consistency(ctx: ContractContext) -> Iterator[Finding]:
    uses: dict[str, list[tuple[Operation, Response]]] = defaultdict(list)
    for op in ctx.ops:
        for response in op.responses:
            if not (response.code[:1] in "45" or response.code == "default") or not response.schemas:
                continue
            uses[_error_shape(ctx, response.schemas[0][1])].append((op, response))
    if len(uses) < 2 or sum(len(v) for v in uses.values()) < 3:
        return
    ranked = sorted(uses.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    majority = ranked[0][0]
    odd = sorted((pair for shape, pairs in ranked[1:] for pair in pairs), key=lambda p: (p[0].rel, p[1].line))
    op, response = odd[0]
    counts = Counter({shape: len(pairs) for shape, pairs in uses.items()})
    yield infra_finding(
        "api-inconsistent-errors", response.rel, ctx.lines_of(response.rel), response.line,
        f"{len(odd)} error response(s) deviate from the shape most operations use (e.g. {op.label} {response.code})",
        "Clients need one error-handling path: with several shapes, generated SDKs expose a "
        "different type per operation and a branch that expects `message` finds `error` or a "
        "bare string instead. The most common shape here is " + majority + ".",
        rule="openapi-inconsistent-errors", key="document", confidence=Confidence.HIGH,
        evidence=tuple(step(r.rel, ctx.lines_of(r.rel), r.line,
                            f"{o.label} {r.code}: {_error_shape(ctx, r.schemas[0][1])} "
                            f"(used {counts[_error_shape(ctx, r.schemas[0][1])]}x)")
                       for o, r in [pairs[0] for _, pairs in ranked][:8]),
        fix=yaml_fix("Define one error schema (RFC 9457 problem details fit) and reference it everywhere.",
                     "components:\n  schemas:\n    Problem:\n      type: object\n      required: [type, title, status]\n"
                     "      properties:\n        type: {type: string, format: uri}\n        title: {type: string}\n"
                     "        status: {type: integer}\n        detail: {type: string}\n"
                     "  responses:\n    BadRequest:\n      description: Invalid request\n      content:\n"
                     "        application/problem+json:\n          schema: {$ref: '#/components/schemas/Problem'}"),
    )
