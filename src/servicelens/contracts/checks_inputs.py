"""What clients may send: unbounded values and privileged writable fields.

    api-unbounded-input   strings without maxLength, arrays without maxItems, page-size
                          integers without maximum; one finding per place a fix is made
                          (a component schema, or an operation's inline parameters/body)
    mass-assignment       role / isAdmin / balance / owner ids writable in request bodies
                          outside admin paths (OWASP API3), at the property's line
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterator

from servicelens.contracts.checks_security import segments
from servicelens.contracts.context import ContractContext
from servicelens.contracts.operations import STATE_CHANGING, Operation, Param
from servicelens.contracts.schemas import Owner, Slot, WalkSet, walk
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.model.finding import Confidence, Finding, Severity

AGGREGATE_OVER = 10
_UNBOUNDED_PATTERN = re.compile(r"(?<!\\)[*+]|\{\d+,\}")


def _op_owner(op: Operation) -> Owner:
    return Owner(op.label, op.rel, op.line)


def _inputs(ctx: ContractContext, op: Operation, seen: WalkSet) -> Iterator[tuple[Slot, bool]]:
    """(slot, is it in the request body) for parameters and bodies; formData counts as body."""
    for param in op.params:
        if param.where == "body" or param.schema is None:
            continue
        for slot in walk(ctx.resolver, param.schema, _param_owner(op, param),
                         f"{param.where} parameter `{param.name}`", seen, name=param.name, line=_name_line(param)):
            yield slot, param.where == "formData"
    for media, schema in op.bodies:
        if "octet-stream" in media or media.startswith(("image/", "video/", "audio/")):
            continue
        for slot in walk(ctx.resolver, schema, _op_owner(op), f"{op.label} body", seen):
            yield slot, True


def _param_owner(op: Operation, param: Param) -> Owner:
    if param.node.name and not param.node.name.isdigit():
        return Owner(f"parameter {param.node.name}", param.node.rel, param.node.key_line)
    return _op_owner(op)


def _name_line(param: Param) -> int:
    key = param.node.node.key_node("name")
    return key.line if key is not None else param.node.node.line


def unbounded_reason(ctx: ContractContext, slot: Slot) -> str | None:
    if slot.read_only:
        return None
    types, s = slot.types(), slot.schema
    if s.get("enum") is not None or s.get("const") is not None:
        return None
    if "string" in types and not s.get("maxLength"):
        fmt = (s.get("format").text() or "") if s.get("format") is not None else ""
        if fmt in ctx.policy.bounded_formats or fmt == "binary" or _bounded_pattern(s.get("pattern")):
            return None
        return "string without maxLength"
    if "array" in types and s.get("maxItems") is None:
        return "array without maxItems"
    if types & {"integer", "number"} and slot.name and ctx.policy.has(ctx.policy.size_params, slot.name) \
            and s.get("maximum") is None and s.get("exclusiveMaximum") is None:
        return "page size without maximum"
    return None


def _bounded_pattern(node) -> bool:  # type: ignore[no-untyped-def]
    text = (node.text() or "") if node is not None else ""
    return bool(text) and text.startswith("^") and text.endswith("$") and not _UNBOUNDED_PATTERN.search(text)


def check_unbounded(ctx: ContractContext) -> Iterator[Finding]:
    seen = WalkSet()
    by_owner: dict[Owner, list[tuple[Slot, str]]] = defaultdict(list)
    for op in ctx.ops:
        for slot, in_body in _inputs(ctx, op, seen):
            reason = unbounded_reason(ctx, slot)
            if reason is not None and not in_body and not reason.startswith("page size"):
                continue  # URL parts are capped by servers (~8 KB); only page sizes matter there
            if reason is not None:
                by_owner[slot.owner].append((slot, reason))
    owners = sorted(by_owner.items(), key=lambda kv: (kv[0].rel, kv[0].line))
    if len(owners) > AGGREGATE_OVER:
        yield _aggregate_unbounded(ctx, owners)
        return
    for owner, hits in owners:
        counts = _counts(hits)
        yield infra_finding(
            "api-unbounded-input", owner.rel, ctx.lines_of(owner.rel), owner.line,
            f"`{owner.name}` accepts unbounded input: {_summary(counts)}", _WHY,
            rule="openapi-unbounded-input", key=owner.name,
            severity=Severity.MEDIUM if _serious(counts) else Severity.LOW, confidence=Confidence.MEDIUM,
            evidence=tuple(step(s.rel, ctx.lines_of(s.rel), s.line, f"{s.label}: {r}") for s, r in hits[:12]),
            fix=yaml_fix("Bound every field by what the domain allows.", _bound_fix(hits)),
        )


_WHY = ("Nothing in the contract limits how much a client may send, so validation generated "
        "from it accepts a 50 MB string or a million-item array: memory and CPU per request "
        "are set by the caller (OWASP API4), and oversized values reach the database.")


def _counts(hits: list[tuple[Slot, str]]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for _, reason in hits:
        counts[reason] += 1
    return counts


def _serious(counts: dict[str, int]) -> bool:
    return bool(counts.get("array without maxItems") or counts.get("page size without maximum"))


def _summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {r if n == 1 else r.replace('string', 'strings').replace('array', 'arrays')}"
                     for r, n in sorted(counts.items()))


def _aggregate_unbounded(ctx: ContractContext, owners: list[tuple[Owner, list[tuple[Slot, str]]]]) -> Finding:
    """Many schemas, one decision: a house rule for bounds (and a body-size limit meanwhile)."""
    total = _counts([hit for _, hits in owners for hit in hits])
    ranked = sorted(owners, key=lambda kv: (not _serious(_counts(kv[1])), kv[0].rel, kv[0].line))
    first = ranked[0][0]
    return infra_finding(
        "api-unbounded-input", first.rel, ctx.lines_of(first.rel), first.line,
        f"{len(owners)} input schemas and operations accept unbounded values ({_summary(total)})", _WHY,
        rule="openapi-unbounded-input", key="aggregate",
        severity=Severity.MEDIUM if _serious(total) else Severity.LOW, confidence=Confidence.MEDIUM,
        evidence=tuple(step(o.rel, ctx.lines_of(o.rel), o.line, f"`{o.name}`: {_summary(_counts(h))}")
                       for o, h in ranked[:30]),
        fix=yaml_fix("Adopt bounds as a contract rule (lint for it), starting with arrays and page sizes; "
                     "cap request bodies at the gateway meanwhile.", _bound_fix(ranked[0][1])),
    )


def _bound_fix(hits: list[tuple[Slot, str]]) -> str:
    out = []
    for slot, reason in hits[:3]:
        name = slot.name or "value"
        if reason.startswith("string"):
            out.append(f"{name}:\n  type: string\n  maxLength: 256")
        elif reason.startswith("array"):
            out.append(f"{name}:\n  type: array\n  maxItems: 100")
        else:
            out.append(f"{name}:\n  type: integer\n  minimum: 1\n  maximum: 100")
    return "\n".join(out)


def check_mass_assignment(ctx: ContractContext) -> Iterator[Finding]:
    seen = WalkSet()
    reported: set[tuple[str, int]] = set()
    for op in ctx.ops:
        if op.method not in STATE_CHANGING or _privileged_path(ctx, op.path) or not _self_service(ctx, op.path):
            continue
        for _, schema in op.bodies:
            for slot in walk(ctx.resolver, schema, _op_owner(op), f"{op.label} body", seen):
                if not _privileged_field(ctx, slot) or (slot.rel, slot.line) in reported:
                    continue
                reported.add((slot.rel, slot.line))
                yield infra_finding(
                    "mass-assignment", slot.rel, ctx.lines_of(slot.rel), slot.line,
                    f"Clients may write `{slot.name}` through {op.label} ({slot.owner.name})",
                    "The contract lets the caller set a field that decides privileges or money. "
                    "If the handler binds the body onto the model (the usual generated-server "
                    "pattern), any user can make themselves admin, verified or richer (OWASP API3).",
                    rule="openapi-writable-privileged-field", key=f"{slot.owner.name}.{slot.name}",
                    confidence=Confidence.MEDIUM,
                    evidence=(step(op.rel, ctx.lines_of(op.rel), op.line, f"{op.label} accepts the body"),
                              step(slot.rel, ctx.lines_of(slot.rel), slot.line, f"`{slot.name}` is writable")),
                    fix=yaml_fix("Mark it server-controlled (and ignore it when binding), or drop it "
                                 "from the input schema.", f"{slot.name}:\n  readOnly: true"),
                )


def _self_service(ctx: ContractContext, path: str) -> bool:
    """`/users/{id}`, `/v1/me`, `/account`: not `/databases/{id}/users` (a sub-resource someone administers)."""
    parts = segments(path)
    return any(ctx.policy.has(ctx.policy.self_service_segments, s) and (i == 0 or not parts[i - 1].startswith("{"))
               for i, s in enumerate(parts))


def _privileged_path(ctx: ContractContext, path: str) -> bool:
    return any(ctx.policy.has(ctx.policy.privileged_path_segments, s) for s in segments(path))


def _privileged_field(ctx: ContractContext, slot: Slot) -> bool:
    if not slot.name or slot.read_only or not ctx.policy.has(ctx.policy.privileged_input_fields, slot.name):
        return False
    if ctx.policy.norm(slot.name) == "admin":
        return slot.types() <= {"boolean"}
    return True
