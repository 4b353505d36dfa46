"""docker-compose review. Compose files are mostly developer tooling, so we only report
what stays wrong on a laptop too (privileged/root, literal secrets, floating images, a
datastore published on every interface, startup races), and resource limits only when
the file shows production intent (`deploy:`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens.fixcode.manifests import under, without_capabilities
from servicelens.infra.findings import infra_finding, yaml_fix
from servicelens.infra.images import floating_reason, parse_image
from servicelens.infra.policy import Policy
from servicelens.infra.yamldoc import YNode
from servicelens.model.finding import Confidence, Finding, Severity

_ROOT_USERS = {"root", "0", "0:0", "root:root"}
_DEV_VALUES = {"postgres", "password", "secret", "example", "admin", "root", "test", "dev", "changeme", "pass",
               "mysql", "mongo", "redis", "guest", "user"}


@dataclass(frozen=True, slots=True)
class ComposeService:
    name: str
    key: YNode  # the service name's line
    node: YNode

    def text(self, field: str) -> str:
        value = self.node.get(field)
        return (value.text() or "") if value is not None else ""

    def env(self) -> list[tuple[str, str, int]]:
        """(name, value, line) for map and `KEY=value` list forms; bare `- KEY` has no value."""
        env = self.node.get("environment")
        out: list[tuple[str, str, int]] = []
        if env is None:
            return out
        for key, key_node, value in env.entries():
            out.append((key, value.text() or "", key_node.line))
        for item in env.items():
            name, eq, val = (item.text() or "").partition("=")
            if eq:
                out.append((name.strip(), val, item.line))
        return out


def services_of(doc: YNode) -> list[ComposeService]:
    services = doc.get("services") if doc.is_map else None
    return [ComposeService(name, key, node) for name, key, node in (services.entries() if services else [])
            if node.is_map]


def check_compose(rel: str, lines: list[str], doc: YNode, policy: Policy,
                  healthy_elsewhere: frozenset[str] = frozenset()) -> Iterator[Finding]:
    """`healthy_elsewhere`: services given a healthcheck by a sibling file (compose.override.yml
    and friends are merged with compose.yml by `docker compose`)."""
    services = services_of(doc)
    prod = bool(re.search(r"prod", rel, re.IGNORECASE))
    for svc in services:
        yield from _root(rel, lines, svc, policy)
        yield from _floating(rel, lines, svc, policy)
        yield from _secrets(rel, lines, svc, policy, prod)
        yield from _published_datastore(rel, lines, svc, policy, prod)
        yield from _limits(rel, lines, svc)
    yield from _startup_races(rel, lines, services, healthy_elsewhere, policy)


def _root(rel: str, lines: list[str], svc: ComposeService, policy: Policy) -> Iterator[Finding]:
    hits: list[tuple[YNode, str, str]] = []
    privileged = svc.node.get("privileged")
    if privileged is not None and privileged.as_bool():
        hits.append((svc.node.key_node("privileged"), "runs privileged", "privileged: false"))  # type: ignore[arg-type]
    if svc.text("user").strip().lower() in _ROOT_USERS:
        hits.append((svc.node.key_node("user"), "runs as root (`user: root`)", 'user: "10001:10001"'))  # type: ignore[arg-type]
    caps = svc.node.get("cap_add")
    added = [item.text() or "" for item in caps.items()] if caps is not None else []
    rooted = [c for c in added if c.upper().removeprefix("CAP_") in policy.root_capabilities]
    for item in caps.items() if caps is not None else []:
        if (item.text() or "").upper().removeprefix("CAP_") in policy.root_capabilities:
            hits.append((item, f"adds capability {item.text()}",
                         without_capabilities(rooted, [c for c in added if c not in rooted], kubernetes=False)))
    for node, what, fix in hits:
        yield infra_finding(
            "container-runs-as-root", rel, lines, node.line, f"Compose service `{svc.name}` {what}",
            "A root or privileged container turns any code-execution bug in the service into "
            "control of the Docker host, which also runs every other container and volume.",
            rule="compose-root", key=f"{svc.name}:{what}",
            severity=Severity.CRITICAL if "privileged" in what else Severity.HIGH,
            fix=yaml_fix("Drop the privilege.", under(f"{svc.name}:", fix)),
        )


def _floating(rel: str, lines: list[str], svc: ComposeService, policy: Policy) -> Iterator[Finding]:
    node = svc.node.get("image")
    if node is None or node.is_reset or svc.node.get("build") is not None or not node.text():
        return  # with `build:`, `image:` names the result, it is not pulled; `!reset` removes it
    image = parse_image(node.text() or "")
    reason = floating_reason(image, policy)
    if reason is not None:
        yield infra_finding(
            "unpinned-dependency", rel, lines, node.line,
            f"Compose service `{svc.name}` uses image `{image.text}` ({reason})",
            "Each `docker compose pull` may bring a new major version: the environment drifts "
            "from what was tested and a fresh checkout can behave differently from yesterday's.",
            rule="compose-floating-image", key=svc.name, severity=Severity.LOW,
            fix=yaml_fix("Pin the version you tested.", f"image: {image.repository}:<version>"),
        )


def _secrets(rel: str, lines: list[str], svc: ComposeService, policy: Policy, prod: bool) -> Iterator[Finding]:
    if _network_only_datastore(svc, policy):
        return
    for name, value, line in svc.env():
        literal = policy.looks_like_secret_value(value) or policy.credential_in_url(value)
        if not literal and (not policy.is_secret_name(name) or policy.is_placeholder(value) or "${" in value
                            or policy.is_name_placeholder(name, value)):
            continue
        weak = value.strip().lower() in _DEV_VALUES or _url_password(value) in _DEV_VALUES
        yield infra_finding(
            "secret-in-image", rel, lines, line,
            f"Compose service `{svc.name}` sets secret `{name}` to a literal value",
            "The credential is committed with the file; every clone and every CI log that prints "
            "the resolved config has it, and it cannot be rotated without a commit."
            + (" It is also a well-known default that scanners try first." if weak else ""),
            rule="compose-literal-secret", key=f"{svc.name}:{name}",
            severity=Severity.HIGH if prod else (Severity.LOW if weak else Severity.MEDIUM),
            fix=yaml_fix("Read it from the environment or a secrets file that is not committed.",
                         f"environment:\n  {name}: ${{{name}:?set {name} in .env or the shell}}"),
        )


def _network_only_datastore(svc: ComposeService, policy: Policy) -> bool:
    """A datastore that publishes no port and whose password repeats its own user or database
    name (`POSTGRES_USER: shop`, `POSTGRES_PASSWORD: shop`): the placeholder of a shipped example
    file, guarding a server only the other services of this compose network can reach. (The
    service that connects with it is still reviewed.)"""
    network = svc.text("network_mode").strip().lower()
    if not policy.is_datastore_image(svc.text("image")) or svc.node.get("ports") is not None \
            or network not in ("", "bridge") or svc.node.get("deploy") is not None:
        return False
    env = [(name.upper(), value.strip()) for name, value, _ in svc.env()]
    names = {value for name, value in env if value and not policy.is_secret_name(name)}
    secrets = [value for name, value in env if policy.is_secret_name(name)]
    return bool(secrets) and all(value in names for value in secrets)


def _url_password(value: str) -> str:
    match = re.match(r"^[a-z0-9+.:-]+://[^:/@]+:([^@/]+)@", value.strip())
    return match.group(1).lower() if match else ""


def _published_datastore(rel: str, lines: list[str], svc: ComposeService, policy: Policy,
                         prod: bool) -> Iterator[Finding]:
    ports = svc.node.get("ports")
    is_store = policy.is_datastore_image(svc.text("image"))
    for item in ports.items() if ports is not None else []:
        host_ip, target = _port_binding(item)
        store = policy.datastore_ports.get(target or -1) or (svc.text("image").split(":")[0] if is_store else None)
        if store is None or host_ip not in ("", "0.0.0.0", "::", "[::]"):
            continue
        yield infra_finding(
            "missing-authentication", rel, lines, item.line,
            f"Compose service `{svc.name}` publishes {store} on every network interface",
            "Docker publishes ports on 0.0.0.0 and inserts its own iptables rules ahead of the "
            "host firewall, so this datastore is reachable from the whole network, usually with "
            "the default credentials in this same file.",
            rule="compose-published-datastore", key=f"{svc.name}:{target}",
            severity=Severity.HIGH if prod else Severity.LOW, confidence=Confidence.MEDIUM,
            fix=yaml_fix("Bind to loopback (or drop `ports:` and let services use the compose network).",
                         f'ports:\n  - "127.0.0.1:{target}:{target}"'),
        )


def _port_binding(item: YNode) -> tuple[str, int | None]:
    """(host ip, container port) of a short `[ip:][host:]container[/proto]` or long-form entry."""
    if item.is_map:
        target = item.get("target")
        host = item.get("host_ip")
        return ((host.text() or "") if host is not None else "", target.as_int() if target is not None else None)
    text = (item.text() or "").split("/")[0]
    parts = text.rsplit(":", 2) if text.count(":") <= 2 else [text]
    target_text = parts[-1].split("-")[0]
    host_ip = parts[0] if len(parts) == 3 else ""
    return host_ip, int(target_text) if target_text.isdigit() else None


def _limits(rel: str, lines: list[str], svc: ComposeService) -> Iterator[Finding]:
    deploy = svc.node.get("deploy")
    if deploy is None or deploy.path("resources", "limits", "memory") is not None or svc.node.get("mem_limit"):
        return
    key = svc.node.key_node("deploy")
    yield infra_finding(
        "missing-resource-limits", rel, lines, key.line if key is not None else svc.key.line,
        f"Compose service `{svc.name}` is deployed without a memory limit",
        "This file is meant for a real deployment (`deploy:`), and without a limit one leaking "
        "service consumes the host's memory until the kernel kills its neighbours.",
        rule="compose-missing-limits", key=svc.name,
        fix=yaml_fix("Cap memory (and reserve what the service needs).",
                     "deploy:\n  resources:\n    limits:\n      memory: 512M\n    reservations:\n      memory: 256M"),
    )


def _startup_races(rel: str, lines: list[str], services: list[ComposeService],
                   healthy_elsewhere: frozenset[str], policy: Policy) -> Iterator[Finding]:
    """A service others depend on, with no healthcheck: `depends_on` only waits for "started",
    unless every dependent's own command waits for it to answer, or is restarted when it exits
    (`restart: unless-stopped`): a dependent that fails to connect on a cold start exits and
    comes back once the dependency answers, a bounded retry Docker runs for it."""
    by_name = {s.name: s for s in services}
    dependents: dict[str, list[str]] = {}
    for svc in services:
        deps = svc.node.get("depends_on")
        names = deps.strings() if deps is not None and deps.is_seq else [k for k, _, _ in (deps.entries() if deps else [])]
        for name in names:
            dependents.setdefault(name, []).append(svc.name)
    for name, users in sorted(dependents.items()):
        target = by_name.get(name)
        if target is None or has_healthcheck(target) or name in healthy_elsewhere:
            continue
        if all(_waits_for(by_name[user], name, policy) or _restarts_on_failure(by_name[user]) for user in users):
            continue
        yield infra_finding(
            "missing-health-check", rel, lines, target.key.line,
            f"Compose service `{name}` has no healthcheck, so {', '.join(sorted(users))} may start before it is ready",
            "`depends_on` without `condition: service_healthy` only waits for the container to "
            "start, not for the server inside to accept connections; dependents crash or cache "
            "a failed connection on every cold start.",
            rule="compose-no-healthcheck", key=name, severity=Severity.LOW, confidence=Confidence.MEDIUM,
            fix=yaml_fix("Give it a healthcheck and make dependents wait for it.",
                         f"{name}:\n  healthcheck:\n    test: [\"CMD-SHELL\", \"<command that checks {name} answers>\"]\n"
                         f"    interval: 5s\n    retries: 10\n{sorted(users)[0]}:\n  depends_on:\n"
                         f"    {name}:\n      condition: service_healthy"),
        )


def _waits_for(svc: ComposeService, dependency: str, policy: Policy) -> bool:
    """The service's command or entrypoint loops until `dependency` answers (`while ! nc -z db
    5432`, `wait-for-it db:5432 --`, `until pg_isready -h db`)."""
    parts = [svc.node.get(field) for field in ("command", "entrypoint")]
    text = " ".join((p.text() or "") if not p.is_seq else " ".join(p.strings()) for p in parts if p is not None)
    lowered = text.lower()
    names_it = re.search(rf"(?<![\w-]){re.escape(dependency.lower())}(?![\w-])", lowered) is not None
    return names_it and any(word in lowered for word in policy.readiness_wait_words)


_RESTARTING = ("always", "unless-stopped", "on-failure", "any")


def _restarts_on_failure(svc: ComposeService) -> bool:
    """`restart: always|unless-stopped|on-failure[:N]`, or swarm's `deploy.restart_policy.condition:
    any|on-failure` (its default when the policy is given without a condition)."""
    policy = svc.text("restart").strip().strip("\"'").lower()
    if policy.startswith(_RESTARTING):
        return True
    deploy = svc.node.get("deploy")
    restart = deploy.get("restart_policy") if deploy is not None and not deploy.is_seq else None
    if restart is None or restart.is_seq:
        return False
    condition = restart.get("condition")
    return condition is None or (condition.text() or "").strip().strip("\"'").lower() in ("any", "on-failure")


def has_healthcheck(svc: ComposeService) -> bool:
    check = svc.node.get("healthcheck")
    if check is None:
        return False
    disabled = check.get("disable")
    return not (disabled is not None and disabled.as_bool())
