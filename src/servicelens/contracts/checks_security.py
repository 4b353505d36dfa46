"""Who may call what: operations without security, and enumerable ids on owned objects.

    api-unauthenticated-operation   per operation when the contract otherwise uses security
                                    (aggregated past a handful); once per document when it
                                    declares none although it has state-changing operations
    broken-object-authorization     integer path ids on user-owned resources (OWASP API1),
                                    once per document: the fix is one design decision
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens.contracts.context import ContractContext
from servicelens.contracts.operations import STATE_CHANGING, Operation
from servicelens.contracts.policy import ContractPolicy
from servicelens.contracts.refs import OpenApiDoc
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.model.finding import Confidence, Finding, Severity

AGGREGATE_OVER = 5


def segments(path: str) -> list[str]:
    return [s.lower() for s in path.strip("/").split("/") if s]


def is_public_path(policy: ContractPolicy, path: str) -> bool:
    return any(policy.has(policy.public_segments, s) for s in segments(path) if not s.startswith("{"))


def _private_get(policy: ContractPolicy, path: str) -> bool:
    return any(policy.has(policy.private_segments, s) for s in segments(path) if not s.startswith("{"))


def _auth_header(policy: ContractPolicy, op: Operation) -> bool:
    return any(p.where == "header" and policy.has(policy.auth_header_params, p.name) for p in op.params)


def _schemes(doc: OpenApiDoc) -> list[str]:
    holder = doc.root.get("securityDefinitions") if doc.is_swagger else doc.root.path("components", "securitySchemes")
    return [k for k, _, _ in holder.entries()] if holder is not None else []


def check_unauthenticated(ctx: ContractContext) -> Iterator[Finding]:
    doc, ops, policy = ctx.doc, list(ctx.ops), ctx.policy
    if not ops:
        return
    schemes = _schemes(doc)
    ops = [op for op in ops if not _auth_header(policy, op)]
    if len(ops) < len(ctx.ops) and not any(op.security for op in ctx.ops):
        return  # auth documented informally (header parameters on some operations): cannot tell gaps apart
    uses_security = any(op.security for op in ctx.ops)
    if not uses_security:
        writes = [op for op in ops if op.method in STATE_CHANGING and not is_public_path(policy, op.path)]
        if writes or schemes:
            yield _document_level(ctx, writes or ops, bool(schemes))
        return
    flagged = [op for op in ops if op.anonymous_allowed and not is_public_path(policy, op.path)
               and "<" not in op.path  # `/<upload_url>`: a pre-signed URL documented as a pseudo-path
               and (op.method in STATE_CHANGING or _private_get(policy, op.path))]
    if len(flagged) > AGGREGATE_OVER:
        yield _aggregate(ctx, flagged)
        return
    for op in flagged:
        explicit = op.explicit_security and op.security is not None
        yield infra_finding(
            "api-unauthenticated-operation", op.rel, ctx.lines_of(op.rel), op.line,
            f"{op.label} requires no authentication"
            + ((" (it opts out with `security: []`)" if not op.security else " (anonymous callers are allowed)")
               if explicit else ""),
            "The rest of this API requires credentials, so an operation without a security "
            "requirement stands out: gateways and generated clients will call it anonymously, and "
            + ("it changes state." if op.method in STATE_CHANGING else "it returns private data."),
            rule="openapi-operation-without-security", key=op.label,
            confidence=Confidence.MEDIUM if explicit else Confidence.HIGH,
            fix=yaml_fix("Declare the scheme this operation is protected by.",
                         f"{op.method.lower()}:\n  security:\n    - {schemes[0] if schemes else 'bearerAuth'}: []"),
        )


def _document_level(ctx: ContractContext, ops: list[Operation], has_schemes: bool) -> Finding:
    doc = ctx.doc
    line = doc.key_line("paths")
    listed = ", ".join(op.label for op in ops[:6]) + (" ..." if len(ops) > 6 else "")
    title = ("Security schemes are defined but no operation requires one" if has_schemes
             else "The contract declares no authentication for any operation")
    return infra_finding(
        "api-unauthenticated-operation", doc.rel, doc.lines, line, title,
        f"Operations such as {listed} change state, yet nothing in the contract says a caller "
        "must authenticate. Either the API really is open, or auth lives somewhere the contract, "
        "its generated clients and gateway policies cannot see.",
        rule="openapi-no-security", key="document", severity=Severity.HIGH if has_schemes else Severity.MEDIUM,
        confidence=Confidence.HIGH if has_schemes else Confidence.MEDIUM,
        evidence=tuple(step(op.rel, ctx.lines_of(op.rel), op.line, "no security requirement") for op in ops[:10]),
        fix=yaml_fix("Apply a scheme globally and opt public operations out explicitly.",
                     "components:\n  securitySchemes:\n    bearerAuth: {type: http, scheme: bearer}\n"
                     "security:\n  - bearerAuth: []\n# public operations: `security: []` on the operation"),
    )


def _aggregate(ctx: ContractContext, ops: list[Operation]) -> Finding:
    first = ops[0]
    return infra_finding(
        "api-unauthenticated-operation", first.rel, ctx.lines_of(first.rel), first.line,
        f"{len(ops)} state-changing or private operations require no authentication",
        "Other operations of this API are protected, but these are not; each one is callable "
        "anonymously by anything that can reach the API.",
        rule="openapi-operation-without-security", key="aggregate",
        evidence=tuple(step(op.rel, ctx.lines_of(op.rel), op.line, f"{op.label}: no security requirement") for op in ops[:25]),
        fix=yaml_fix("Apply security globally so new operations are protected by default.",
                     "security:\n  - bearerAuth: []"),
    )


def check_sequential_ids(ctx: ContractContext) -> Iterator[Finding]:
    ops, policy = ctx.ops, ctx.policy
    hits: list[tuple[Operation, str, int, str]] = []
    seen_paths: set[str] = set()
    for op in ops:
        for param in op.params:
            if param.where != "path" or param.schema is None or op.path in seen_paths:
                continue
            kind = param.schema.node.get("type")
            if kind is None or "integer" not in kind.strings():
                continue
            owner = _resource_before(op.path, param.name)
            if owner and policy.has(policy.owned_resources, owner):
                name_key = param.node.node.key_node("name")
                hits.append((op, param.name, name_key.line if name_key is not None else op.line, param.node.rel))
                seen_paths.add(op.path)
    if not hits:
        return
    first_op, first_name, line, rel = hits[0]
    paths = sorted({op.path for op, _, _, _ in hits})
    yield infra_finding(
        "broken-object-authorization", rel, ctx.lines_of(rel), line,
        f"Probable enumerable object ids: integer `{first_name}` addresses user-owned objects "
        f"on {len(paths)} path(s)",
        "Sequential integer ids let a caller walk `/…/1`, `/…/2`, … through other users' objects. "
        "Whether that leaks data depends on an ownership check the contract cannot show; "
        "guessable ids make any missing check (OWASP API1, BOLA) trivially exploitable at scale.",
        rule="openapi-sequential-ids", key="document", severity=Severity.MEDIUM, confidence=Confidence.LOW,
        evidence=tuple(step(r, ctx.lines_of(r), ln, f"{op.label}: integer `{n}`")
                       for op, n, ln, r in hits[:15]),
        fix=yaml_fix("Expose opaque ids (and keep the per-object ownership check in the handler).",
                     f"- name: {first_name}\n  in: path\n  required: true\n  schema:\n    type: string\n"
                     "    format: uuid"),
    )


def _resource_before(path: str, param: str) -> str:
    parts = path.strip("/").split("/")
    for i, part in enumerate(parts):
        if re.fullmatch(r"\{" + re.escape(param) + r"\}", part) and i > 0:
            return parts[i - 1].lower()
    return ""
