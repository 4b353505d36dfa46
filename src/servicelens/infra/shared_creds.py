"""Database credentials shared by several services.

Reported as `secret-in-image` (CWE-798): it is a credential-handling defect found in the
deployment manifests, the same place and the same fix owner as a literal secret. When two
services log in with one database user, neither can be rotated or revoked alone, the
database cannot tell them apart in its audit log, and a compromise of the smaller service
is a compromise of the bigger one's data. The database server itself (its image is a
datastore) is not a "user" of the credential and is never counted.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from servicelens.infra.compose import ComposeService
from servicelens.infra.context import image_name
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.infra.k8s import Workload, env_entries
from servicelens.infra.policy import Policy
from servicelens.model.finding import Confidence, Finding, Severity


@dataclass(frozen=True, slots=True)
class CredentialUse:
    owner: str  # "Deployment/orders" or "compose:api"
    rel: str
    line: int
    env_name: str
    identity: str  # what is shared: "secret:db-creds/password" or "literal:<value>"
    app: str  # the code that runs: image repository or build context (web + worker of one app = one)


def k8s_uses(workloads: Iterable[Workload], policy: Policy) -> Iterator[CredentialUse]:
    for wl in workloads:
        for c in wl.containers():
            if policy.is_datastore_image(c.image):
                continue
            for name, name_node, entry in env_entries(c.node):
                if name.upper() not in policy.db_credential_names:
                    continue
                identity = _k8s_identity(entry)
                if identity:
                    yield CredentialUse(f"{wl.obj.ref}", wl.obj.rel, name_node.line, name,
                                        f"{wl.obj.namespace or 'default'}:{identity}",
                                        image_name(c.image) or wl.obj.ref)


def _k8s_identity(entry) -> str:  # type: ignore[no-untyped-def]
    ref = entry.path("valueFrom", "secretKeyRef")
    if ref is not None:
        return f"secret:{(ref.get('name') or ref).text()}/{(ref.get('key') or ref).text()}"
    value = entry.get("value")
    text = (value.text() or "") if value is not None else ""
    return f"literal:{text}" if text and "$(" not in text else ""


def compose_uses(rel: str, services: Iterable[ComposeService], policy: Policy) -> Iterator[CredentialUse]:
    for svc in services:
        if policy.is_datastore_image(svc.text("image")):
            continue
        for name, value, line in svc.env():
            if name.upper() in policy.db_credential_names and value.strip() and not policy.is_placeholder(value):
                yield CredentialUse(f"compose:{svc.name}", rel, line, name, f"{rel}:literal:{value.strip()}",
                                    _compose_app(svc))


def _compose_app(svc: ComposeService) -> str:
    build = svc.node.get("build")
    if build is not None:
        context = build.get("context") if build.is_map else build
        return f"build:{(context.text() if context is not None else '') or '.'}"
    image = svc.text("image")
    return image_name(image) if image else f"compose:{svc.name}"


def check_shared(uses: Iterable[CredentialUse], lines_of) -> Iterator[Finding]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[CredentialUse]] = defaultdict(list)
    for use in uses:
        groups[use.identity].append(use)
    for identity, group in sorted(groups.items()):
        owners = sorted({u.owner for u in group})
        if len({u.app for u in group}) < 2:
            continue
        group.sort(key=lambda u: (u.rel, u.line))
        first = group[0]
        shown = "a Secret key" if identity.split(":", 2)[1] == "secret" else "the same literal value"
        yield infra_finding(
            "secret-in-image", first.rel, lines_of(first.rel), first.line,
            f"{len(owners)} services share one database credential ({shown}): {', '.join(owners)}",
            "Shared database logins cannot be rotated or revoked per service, the database audit "
            "log cannot tell the services apart, and a breach of any one of them reads and writes "
            "every table the others can.",
            rule="shared-db-credentials", key=identity.split(":literal:")[0] + ":" + ",".join(owners),
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            evidence=tuple(step(u.rel, lines_of(u.rel), u.line, f"{u.owner} reads {u.env_name}") for u in group),
            fix=yaml_fix("Give each service its own database user (and Secret) with only the grants it needs.",
                         "".join(f"# {o}\n- name: {first.env_name}\n  valueFrom:\n    secretKeyRef:\n"
                                 f"      name: {o.split('/')[-1].split(':')[-1]}-db\n      key: password\n"
                                 for o in owners[:2])),
        )
