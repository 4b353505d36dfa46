"""GraphQL SDL review: what a schema file shows without the resolvers.

    api-no-pagination               root Query fields returning a list with no paging arguments
                                    (Relay connections are paged by construction)
    excessive-data-exposure         output types with password hashes, MFA secrets ...
    mass-assignment                 input types with role / isAdmin / balance (not Admin* inputs)
    api-unauthenticated-operation   Mutation fields without an auth directive, only when the
                                    schema uses auth directives elsewhere (otherwise auth lives in
                                    resolvers and the SDL cannot tell)

A small line-based reader, not a full GraphQL parser: it reads `type`/`input`/`extend type`
blocks and one field per line, which is how SDL is written in practice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens.contracts.policy import ContractPolicy
from servicelens.infra.findings import infra_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity

_BLOCK = re.compile(r"^\s*(?:extend\s+)?(type|input|interface)\s+(\w+)[^{]*\{\s*$")
_FIELD = re.compile(r"^\s*(\w+)\s*(\((?P<args>[^)]*)\))?\s*:\s*(?P<type>[\w\[\]!]+)(?P<rest>.*)$")
_AUTH_DIRECTIVE = re.compile(r"@(auth\w*|authenticated|requiresAuth|isAuthenticated|hasRole|hasScope|"
                             r"requiresScopes|aws_cognito_user_pools|aws_iam|aws_oidc|policy|guard|private)\b",
                             re.IGNORECASE)


# lists of scalars (ids, currency codes) are small by nature; `_entities` is federation plumbing
_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


@dataclass(frozen=True, slots=True)
class SdlField:
    owner_kind: str  # type | input | interface
    owner: str
    name: str
    args: str
    type: str
    rest: str
    line: int


def read_fields(text: str) -> list[SdlField]:
    fields: list[SdlField] = []
    owner_kind, owner, in_string, depth = "", "", False, 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0] if '"' not in raw else raw
        if line.count('"""') % 2 == 1:
            in_string = not in_string
            continue
        if in_string:
            continue
        if depth > 0:  # inside a field's multi-line argument list: arguments are input, not fields
            depth = max(0, depth + line.count("(") - line.count(")"))
            continue
        block = _BLOCK.match(line)
        if block:
            owner_kind, owner = block.group(1), block.group(2)
            continue
        if line.strip().startswith("}"):
            owner_kind, owner = "", ""
            continue
        match = _FIELD.match(line) if owner else None
        if owner and match is None and re.match(r"^\s*\w+\s*\(", line):
            depth = max(0, line.count("(") - line.count(")"))
            continue
        if match:
            fields.append(SdlField(owner_kind, owner, match.group(1), match.group("args") or "",
                                   match.group("type"), match.group("rest"), number))
    return fields


def check_schema(rel: str, text: str, policy: ContractPolicy) -> Iterator[Finding]:
    lines = text.splitlines()
    fields = read_fields(text)
    uses_auth = any(_AUTH_DIRECTIVE.search(f.rest) for f in fields) or bool(_AUTH_DIRECTIVE.search(
        " ".join(ln for ln in lines if ln.lstrip().startswith(("type ", "extend type ")))))
    for f in fields:
        if f.owner == "Query" and f.type.startswith("[") and not _paged_args(policy, f.args) \
                and not f.name.startswith("_") and f.type.strip("[]!") not in _SCALARS:
            yield infra_finding(
                "api-no-pagination", rel, lines, f.line, f"Query `{f.name}` returns a whole list `{f.type}`",
                "Every call returns the entire collection: the response, the resolver's query and "
                "the client's memory all grow with the data, and one query can be made expensive "
                "on purpose.", rule="graphql-unpaged-list", key=f"Query.{f.name}", confidence=Confidence.MEDIUM,
                fix=Fix("Return a connection with `first`/`after` (bounded server-side).",
                        f"{f.name}(first: Int = 20, after: String): {f.type.strip('[]!')}Connection!", "graphql"))
        elif f.owner_kind in ("type", "interface") and policy.has(policy.sensitive_response_fields, f.name):
            yield infra_finding(
                "excessive-data-exposure", rel, lines, f.line, f"Type `{f.owner}` exposes `{f.name}`",
                "Any client that can select this type can ask for the field; GraphQL has no "
                "response schema to hide it behind.", rule="graphql-sensitive-field",
                key=f"{f.owner}.{f.name}", severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Remove the field from the output type.", f"# delete `{f.name}` from type {f.owner}",
                        "graphql"))
        elif f.owner_kind == "input" and "admin" not in f.owner.lower() and policy.has(
                policy.privileged_input_fields, f.name):
            yield infra_finding(
                "mass-assignment", rel, lines, f.line, f"Input `{f.owner}` lets clients set `{f.name}`",
                "Whoever can call the mutation using this input decides the value of a privilege- or "
                "money-bearing field.", rule="graphql-privileged-input", key=f"{f.owner}.{f.name}",
                confidence=Confidence.MEDIUM,
                fix=Fix("Move it to an admin-only input or set it server-side.",
                        f"# delete `{f.name}` from input {f.owner}", "graphql"))
        elif f.owner == "Mutation" and uses_auth and not _AUTH_DIRECTIVE.search(f.rest) \
                and not _public_name(policy, f.name):
            yield infra_finding(
                "api-unauthenticated-operation", rel, lines, f.line,
                f"Mutation `{f.name}` has no auth directive while others do",
                "The schema marks protected fields with directives; this mutation has none, so it "
                "is reachable anonymously unless its resolver checks by hand.",
                rule="graphql-mutation-without-auth", key=f"Mutation.{f.name}", confidence=Confidence.MEDIUM,
                fix=Fix("Add the directive the rest of the schema uses.", f"{f.name}(...): {f.type} @auth",
                        "graphql"))


def _paged_args(policy: ContractPolicy, args: str) -> bool:
    names = re.findall(r"(\w+)\s*:", args)
    return any(policy.has(policy.paging_params, n) for n in names)


def _public_name(policy: ContractPolicy, name: str) -> bool:
    words = re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower().split("_")
    return any(policy.has(policy.public_segments, w) for w in words)
