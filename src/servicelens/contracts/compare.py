"""Contract versus code: what is served but undocumented, documented but not served, and
protected on paper but not in the handler.

Every disagreement is reported as `api-contract-drift` (CWE-1068: the documentation and
the implementation are inconsistent), with one rule id per kind:
  - served but not in the contract (`contract-undocumented-endpoint`): a shadow endpoint
    gateways, generated clients and security reviews do not know about (OWASP API9);
    severity follows the handler's own auth (high when it has none).
  - in the contract but not served (`contract-unimplemented-operation`): one finding per
    contract document, listing the operations; low, as a route registered in a way the
    analysis cannot see looks the same.
  - contract requires auth, handler has none (`contract-auth-not-enforced`): high, since
    clients and reviewers believe the operation is protected.

The comparison only runs when contract and code describe the same service: at least one
operation matches and a third of either side matches, so a repository holding the
contract of a *different* service yields nothing rather than a wall of false drift. And it
covers only what the contract is about: when every operation lives under one prefix
(`/api/...`), the HTML pages and admin routes the same application serves elsewhere are
outside its scope, not undocumented. A route matches the operations of each path it serves (an
Express optional parameter `:spec?` present or not; `/times/*` every path below it), and a file
the application serves (`/robots.txt`, the contract's own `/swagger.json`) is no operation.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Sequence

from servicelens.contracts.checks_security import is_public_path
from servicelens.contracts.operations import Operation
from servicelens.contracts.policy import load_contract_policy
from servicelens.fixcode.routes import Handler, def_header, own_decorators, require_auth
from servicelens.infra.findings import infra_finding, step
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.model.report import Endpoint

_ANY_METHOD = {"", "*", "ANY", "ALL"}
_SKIP_METHODS = {"HEAD", "OPTIONS"}
MIN_OVERLAP = 1 / 3
_MAX_OPTIONAL = 6


def normalize_path(path: str) -> str:
    """`/users/<int:id>/`, `/users/:id`, `^users/(?P<pk>[^/.]+)/$`, `/users/{id}` -> `/users/{}`."""
    text = path.strip().lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<\w+>[^)]*\)", "{}", text)
    text = re.sub(r"<[^>]+>", "{}", text)
    text = re.sub(r"\{[^}]*\}", "{}", text)
    text = re.sub(r"(?<=/):[A-Za-z_]\w*", "{}", text)
    text = "/" + re.sub(r"/+", "/", text).strip("/")
    return text.lower()


def contract_scope(operations: Sequence[Operation], with_server_path: bool = True) -> str:
    """The path prefix every operation of the contract shares (`/api/`), `/` when none: the
    part of the application the contract describes."""
    paths = [normalize_path(op.full_path if with_server_path else op.path).strip("/").split("/")
             for op in operations]
    if not paths:
        return "/"
    shared: list[str] = []
    for parts in zip(*paths):
        if len(set(parts)) != 1 or parts[0] in ("", "{}"):
            break
        shared.append(parts[0])
    # a prefix that is the whole path of some operation (`/users` and `/users/{}`) names a
    # resource, not the contract's mount point
    if shared and any(len(p) == len(shared) for p in paths):
        shared = shared[:-1]
    return "/" + "".join(f"{part}/" for part in shared)


def _keys(op: Operation) -> set[str]:
    return {normalize_path(op.full_path), normalize_path(op.path)}


def _method_ok(ep: Endpoint, op: Operation) -> bool:
    return ep.method.upper() in _ANY_METHOD or ep.method.upper() == op.method


def _matches(ep: Endpoint, op: Operation) -> bool:
    return _method_ok(ep, op) and bool(served_forms(ep.path) & _keys(op))


def _below_wildcard(ep: Endpoint, op: Operation) -> bool:
    """`/times/*` answers `/times/{}`. Only for operations no route serves by its own path: a
    catch-all (`app.all('/api/*', notFound)`) implements nothing that a route already does."""
    below = _wildcard_base(ep.path)
    return below is not None and _method_ok(ep, op) and any(key.startswith(below) for key in _keys(op))


def served_forms(path: str) -> set[str]:
    """The normalized paths a route serves: `/echo/:e/:model?/:spec?` serves `/echo/{}`,
    `/echo/{}/{}` and `/echo/{}/{}/{}` (an Express optional parameter may be left out)."""
    parts = path.split("/")
    optional = [i for i, part in enumerate(parts) if part.startswith(":") and part.endswith("?")]
    if not optional or len(optional) > _MAX_OPTIONAL:
        return {normalize_path(path.replace("?", ""))}
    forms = set()
    for mask in range(1 << len(optional)):
        dropped = {index for bit, index in enumerate(optional) if mask >> bit & 1}
        kept = [part.rstrip("?") for i, part in enumerate(parts) if i not in dropped]
        forms.add(normalize_path("/".join(kept)))
    return forms


def _wildcard_base(path: str) -> str | None:
    """`/times/` for `/times/*` (a route answering everything below it); None for any other."""
    text = normalize_path(path)
    return text[:-1] if text.endswith("/*") else None


# What a browser or a tool fetches as a file: page assets, crawler and app manifests. A data format
# (`.csv`, `.pdf`, `.xlsx`, `.ics`, `.json`) names an operation's representation instead: an export
# route `/reports/export.csv` is an API operation a contract should list.
_ASSET_EXTENSIONS = frozenset({
    "js", "mjs", "css", "map", "html", "htm", "ico", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif",
    "woff", "woff2", "ttf", "otf", "eot", "txt", "webmanifest", "wasm",
})
# The contract document itself and the browser's manifest are files too, whatever their format.
_SERVED_DOCUMENT = re.compile(r"(?:openapi|swagger|api-docs|asyncapi|manifest|sitemap)\.(?:json|ya?ml|xml)", re.I)


def _static_file(path: str) -> bool:
    """`/robots.txt`, `/sw.js`, `/swagger.json`: a file the application serves (an asset, the
    contract itself), which no contract lists as an operation."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.startswith(":") or "." not in last:
        return False
    return last.rsplit(".", 1)[1].lower() in _ASSET_EXTENSIONS or bool(_SERVED_DOCUMENT.fullmatch(last))


_RPC_FRAMEWORKS = frozenset({"trpc"})


def compare_contract_with_code(
    operations: Sequence[Operation],
    endpoints: tuple[Endpoint, ...],
    *,
    lines_of: Callable[[str], list[str]] | None = None,
    auth_enforced_upstream: bool = False,
) -> list[Finding]:
    """Findings for drift between an OpenAPI contract and the endpoints found in code."""
    lines = lines_of or (lambda _rel: [])
    # an endpoint whose path the review could not resolve ("(bound in urls.py)") can be neither
    # documented nor undocumented
    # a remote procedure's contract is its router's own types (tRPC's AppRouter), not an OpenAPI
    # document: the procedures are neither documented nor undocumented there
    eps = [e for e in endpoints if e.method.upper() not in _SKIP_METHODS and e.path.startswith("/")
           and e.framework not in _RPC_FRAMEWORKS]
    # code serves the contract's paths with the server URL's base path or without it: the
    # scope is the shared prefix in the spelling most of the code's routes use
    served = {form for e in eps for form in served_forms(e.path)}
    with_base = sum(normalize_path(op.full_path) in served for op in operations) \
        >= sum(normalize_path(op.path) in served for op in operations)
    scope = contract_scope(operations, with_server_path=with_base)
    eps = [e for e in eps if (normalize_path(e.path) + "/").startswith(scope)]
    if not operations or not eps:
        return []
    pairs = [(e, o) for e in eps for o in operations if _matches(e, o)]
    served_ops = {id(o) for _, o in pairs}
    below = [(e, o) for e in eps for o in operations if _below_wildcard(e, o)]
    pairs += [(e, o) for e, o in below if id(o) not in served_ops]
    matched_eps = {id(e) for e, _ in pairs + below}  # a catch-all under the contract's paths is documented
    matched_ops = {id(o) for _, o in pairs}
    if not pairs or (len(matched_ops) / len(operations) < MIN_OVERLAP and len(matched_eps) / len(eps) < MIN_OVERLAP):
        return []
    findings = list(_undocumented(eps, matched_eps, lines, sorted({o.rel for o in operations})))
    findings.extend(_unserved([o for o in operations if id(o) not in matched_ops], lines))
    if not auth_enforced_upstream:
        findings.extend(_auth_not_enforced(pairs, lines))
    return findings


def _undocumented(eps: Iterable[Endpoint], matched: set[int], lines: Callable[[str], list[str]],
                  contracts: list[str]) -> Iterable[Finding]:
    policy = load_contract_policy()
    documents = ", ".join(contracts[:3]) + (" ..." if len(contracts) > 3 else "")
    for ep in eps:
        if id(ep) in matched or is_public_path(policy, normalize_path(ep.path)) or _static_file(ep.path):
            continue
        severity = {"none": Severity.HIGH, "unknown": Severity.MEDIUM}.get(ep.auth, Severity.LOW)
        yield infra_finding(
            "api-contract-drift", ep.location.path, lines(ep.location.path), ep.location.start_line,
            f"{ep.method.upper()} {ep.path} is served by `{ep.handler}` but missing from the API contract",
            "An endpoint the contract does not list has no declared security requirement: the "
            "gateway policies, generated clients and security reviews built from the contract do "
            "not know it exists (a shadow endpoint, OWASP API9)"
            + (", and the handler itself requires no authentication." if ep.auth == "none" else "."),
            rule="contract-undocumented-endpoint", key=f"{ep.method.upper()} {normalize_path(ep.path)}",
            severity=severity, confidence=Confidence.MEDIUM,
            evidence=(step(ep.location.path, lines(ep.location.path), ep.location.start_line,
                           f"code: `{ep.handler}` ({ep.framework}) serves {ep.method.upper()} {ep.path}, auth {ep.auth}"),
                      step(contracts[0], lines(contracts[0]), 1,
                           f"contract ({documents}): no operation matches {ep.method.upper()} {normalize_path(ep.path)}")),
            fix=Fix("Document it (with its security requirement) or remove the route.",
                    f"paths:\n  {ep.path}:\n    {ep.method.lower() if ep.method.upper() not in _ANY_METHOD else 'get'}:\n"
                    f"      operationId: {_operation_id(ep.handler)}\n      security:\n        - bearerAuth: []",
                    "yaml"),
        )


def _unserved(ops: list[Operation], lines: Callable[[str], list[str]]) -> Iterable[Finding]:
    by_doc: dict[str, list[Operation]] = {}
    for op in ops:
        by_doc.setdefault(op.rel, []).append(op)
    for rel, missing in sorted(by_doc.items()):
        first = min(missing, key=lambda o: o.line)
        yield infra_finding(
            "api-contract-drift", rel, lines(rel), first.line,
            f"{len(missing)} documented operation(s) have no handler in the code (e.g. {first.label})",
            "Clients generated from the contract call operations the deployed code does not serve: "
            "they get 404s at runtime, and the contract no longer describes the API that is live.",
            rule="contract-unimplemented-operation", key=",".join(sorted(o.label for o in missing)),
            severity=Severity.LOW, confidence=Confidence.LOW,
            evidence=tuple(step(o.rel, lines(o.rel), o.line, f"{o.label}: no matching route found") for o in missing[:15]),
            fix=Fix("Remove or mark them `deprecated: true` until they ship, or check the route is "
                    "registered in a way the analysis cannot see.", f"{first.method.lower()}:\n  deprecated: true",
                    "yaml"),
        )


def _auth_not_enforced(pairs: list[tuple[Endpoint, Operation]], lines: Callable[[str], list[str]]) -> Iterable[Finding]:
    seen: set[int] = set()
    for ep, op in pairs:
        if id(ep) in seen or op.anonymous_allowed or ep.auth != "none":
            continue
        seen.add(id(ep))
        schemes = ", ".join(sorted({s for alt in op.security or () for s in alt}))
        yield infra_finding(
            "api-contract-drift", ep.location.path, lines(ep.location.path), ep.location.start_line,
            f"{op.label} requires {schemes or 'authentication'} in the contract, but `{ep.handler}` checks nothing",
            "Clients and reviewers trust the contract, which says this operation is protected; the "
            "handler has no auth decorator, dependency or middleware, so unless something outside "
            "the repository enforces it, anyone can call it.",
            rule="contract-auth-not-enforced", key=f"{op.label}",
            severity=Severity.HIGH, confidence=Confidence.MEDIUM,
            evidence=(step(op.rel, lines(op.rel), op.line, f"contract: {op.label} requires {schemes}"),
                      step(ep.location.path, lines(ep.location.path), ep.location.start_line,
                           f"code: {ep.handler} ({ep.framework}) has no auth check"
                           + (f"; {ep.auth_evidence}" if ep.auth_evidence else ""))),
            fix=_enforce(ep, lines(ep.location.path)),
        )


def _enforce(ep: Endpoint, source: list[str]) -> Fix:
    """The handler as the code declares it, with its framework's login requirement; no code for
    a method (its class decides the idiom, and the class is not at hand here)."""
    line = ep.location.start_line
    text = source[line - 1] if 0 < line <= len(source) else ""
    code = ""
    if text.lstrip().startswith(("def ", "async def ")) and text == text.lstrip():
        handler = Handler(ep.framework, ep.handler.rsplit(".", 1)[-1], methods=(ep.method,), path=ep.path,
                          def_line=def_header(source, line), decorators=own_decorators(source, line),
                          is_async=text.startswith("async "))
        code = require_auth(handler)
    return Fix("Enforce the scheme the contract promises in the handler (or its router).", code,
               "python" if code else "")


def _operation_id(handler: str) -> str:
    """`tickets.views.TicketViewSet.list` -> `TicketViewSet.list`: a viewset action or a class
    view's verb is named with its class, the code the finding points at (its `class` line)."""
    parts = handler.split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 and parts[-2][:1].isupper() else parts[-1]
