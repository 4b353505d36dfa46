"""Kubernetes operability review: what happens under load, during rollouts and node drains.

    missing-resource-limits  no CPU/memory requests or memory limit (CPU limits are not
                             required: throttling them hurts latency, many teams omit them)
    missing-health-check     serving container without readiness/liveness probes; long
                             requests that outlive the termination grace period (graceful shutdown)
    single-replica           Service-backed workload with one replica, no HPA and no PDB
    missing-authentication   NodePort/LoadBalancer exposing a datastore or bypassing the Ingress
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens.infra.context import InfraContext, same_namespace
from servicelens.infra.findings import infra_finding, step, yaml_fix
from servicelens.infra.k8s import Container, K8sObject, Workload, env_entries, ingress_backends, selector_of, selects
from servicelens.infra.yamldoc import YNode
from servicelens.model.finding import Confidence, Finding, Severity
from servicelens.fixcode.manifests import in_container


def check_workload_ops(ctx: InfraContext, wl: Workload) -> Iterator[Finding]:
    lines = ctx.lines_of(wl.obj.rel)
    services = [s for s in ctx.of_kind("Service") if s.api_version == "v1" and same_namespace(s, wl.obj)
                and selects(selector_of(s), wl.labels)]
    for c in wl.containers():
        yield from _resources(wl, c, lines)
        if wl.kind.serving and wl.obj.kind != "DaemonSet":
            yield from _probes(wl, c, lines, bool(services))
            yield from _long_requests(ctx, wl, c, lines, services)
    if wl.kind.scalable and services:
        yield from _single_replica(ctx, wl, lines)


def _resources(wl: Workload, c: Container, lines: list[str]) -> Iterator[Finding]:
    res = c.node.get("resources")
    missing = [f"{group}.{what}" for group, what in (("requests", "cpu"), ("requests", "memory"), ("limits", "memory"))
               if res is None or res.path(group, what) is None]
    if not missing:
        return
    key = c.node.key_node("resources")
    line = key.line if key is not None else c.line
    yield infra_finding(
        "missing-resource-limits", wl.obj.rel, lines, line,
        f"{wl.obj.ref}: container `{c.name}` has no {', '.join(missing)}",
        "Without requests the scheduler packs pods blind and a busy neighbour starves this one; "
        "without a memory limit one leak or traffic spike grows until the node's OOM killer "
        "takes down unrelated pods. (A LimitRange may add defaults; none is visible here.)",
        rule="k8s-missing-resources", key=f"{wl.obj.ref}:{c.name}",
        fix=yaml_fix("Set requests from observed usage and a memory limit above the peak.",
                     in_container(c.name, "resources:\n  requests:\n    cpu: 100m\n    memory: 256Mi\n"
                                          "  limits:\n    memory: 512Mi")),
    )


def _probes(wl: Workload, c: Container, lines: list[str], has_service: bool) -> Iterator[Finding]:
    has = {p for p in ("readinessProbe", "livenessProbe", "startupProbe") if c.node.get(p) is not None}
    serves = has_service or c.node.get("ports") is not None
    if not serves or "readinessProbe" in has:
        return
    what = "no readiness probe" if has else "no readiness or liveness probe"
    port = _first_port(c)
    yield infra_finding(
        "missing-health-check", wl.obj.rel, lines, c.line,
        f"{wl.obj.ref}: container `{c.name}` serves traffic with {what}",
        "Without a readiness probe the pod gets traffic the moment the process starts (before "
        "connections, caches and migrations are ready) and keeps getting it while it is "
        "overloaded or stuck: every rollout and every hang turns into user-visible errors.",
        rule="k8s-missing-probes", key=f"{wl.obj.ref}:{c.name}",
        confidence=Confidence.HIGH if not has else Confidence.MEDIUM,
        fix=yaml_fix("Probe a cheap endpoint that checks the app's own readiness.",
                     in_container(c.name,
                                  f"readinessProbe:\n  httpGet: {{path: /healthz/ready, port: {port}}}\n  periodSeconds: 5\n"
                                  f"livenessProbe:\n  httpGet: {{path: /healthz/live, port: {port}}}\n"
                                  "  periodSeconds: 10\n  failureThreshold: 3")),
    )


def _first_port(c: Container) -> str:
    ports = c.node.get("ports")
    for item in ports.items() if ports is not None else []:
        value = item.get("containerPort")
        if value is not None and value.text():
            return value.text() or "8080"
    return "8080"


def _single_replica(ctx: InfraContext, wl: Workload, lines: list[str]) -> Iterator[Finding]:
    node = wl.replicas_node
    count = node.as_int() if node is not None else 1
    if count is None or count > 1 or _autoscaled(ctx, wl) or _has_pdb(ctx, wl):
        return
    key = wl.obj.node.path("spec").key_node("replicas") if node is not None else None  # type: ignore[union-attr]
    line = key.line if key is not None else wl.obj.line
    stateful = wl.obj.kind == "StatefulSet"
    yield infra_finding(
        "single-replica", wl.obj.rel, lines, line,
        f"{wl.obj.ref} runs a single replica with no PodDisruptionBudget",
        ("One pod backs this Service: a node drain, an eviction or a rollout takes it offline, "
         "and nothing tells the cluster it must wait. ")
        + ("For a stateful set this is also the only copy of its data." if stateful else ""),
        rule="k8s-single-replica", key=wl.obj.ref, severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM if node is not None and not ctx.has_kustomize else Confidence.LOW,
        fix=yaml_fix("Run at least two replicas and keep one available during voluntary disruptions.",
                     f"spec:\n  replicas: 2\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n"
                     f"  name: {wl.obj.name}\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n"
                     + "".join(f"      {k}: {v}\n" for k, v in sorted(wl.labels.items()))),
    )


def _autoscaled(ctx: InfraContext, wl: Workload) -> bool:
    for hpa in ctx.of_kind("HorizontalPodAutoscaler", "ScaledObject"):
        target = hpa.node.path("spec", "scaleTargetRef")
        if target is not None and (target.get("name") or target).text() == wl.obj.name:
            return True
    return False


def _has_pdb(ctx: InfraContext, wl: Workload) -> bool:
    return any(same_namespace(p, wl.obj) and selects(selector_of(p), wl.labels)
               for p in ctx.of_kind("PodDisruptionBudget"))


_TIMEOUT_ARG = re.compile(r"^(--?[a-z-]+)(?:=(\d+))?$")


def _long_requests(ctx: InfraContext, wl: Workload, c: Container, lines: list[str],
                   services: list[K8sObject]) -> Iterator[Finding]:
    """Graceful shutdown: requests allowed to run longer than the pod is given to finish."""
    grace_node = wl.pod_spec.get("terminationGracePeriodSeconds")
    grace = grace_node.as_int() if grace_node is not None else ctx.policy.default_grace_seconds
    if grace is None:
        return
    timeout = _declared_timeout(ctx, c) or _ingress_timeout(ctx, services)
    if timeout is None or timeout[0] <= grace:
        return
    seconds, where_rel, where = timeout
    where_rel = where_rel or wl.obj.rel
    has_prestop = c.node.path("lifecycle", "preStop") is not None
    yield infra_finding(
        "missing-health-check", where_rel, ctx.lines_of(where_rel), where.line,
        f"{wl.obj.ref}: requests may run {seconds}s but the pod gets {grace}s to shut down",
        "On every rollout, scale-in or node drain the kubelet sends SIGTERM and kills the "
        f"container {grace}s later. Requests allowed to run {seconds}s are cut off mid-flight: "
        "half-written uploads, reports that never arrive, client retries of non-idempotent calls."
        + ("" if has_prestop else " No preStop hook covers the endpoint-removal race either."),
        rule="k8s-no-graceful-shutdown", key=f"{wl.obj.ref}:{c.name}", confidence=Confidence.MEDIUM,
        evidence=(step(where_rel, ctx.lines_of(where_rel), where.line, f"request timeout of {seconds}s declared here"),
                  step(wl.obj.rel, lines, grace_node.line if grace_node is not None else c.line,
                       f"termination grace period is {grace}s"
                       + ("" if grace_node is not None else " (the default)"))),
        fix=yaml_fix("Give in-flight requests time to finish, and stop routing before SIGTERM.",
                     f"spec:\n  terminationGracePeriodSeconds: {seconds + 15}\n  containers:\n"
                     f"    - name: {c.name}\n      lifecycle:\n        preStop:\n"
                     "          exec: {command: [\"sleep\", \"10\"]}"),
    )


def _declared_timeout(ctx: InfraContext, c: Container) -> tuple[int, str, YNode] | None:
    words: list[tuple[str, YNode]] = []
    for field in ("command", "args"):
        seq = c.node.get(field)
        for item in seq.items() if seq is not None else []:
            words.extend((token, item) for token in (item.text() or "").split())
    server = any(w.rsplit("/", 1)[-1] in ctx.policy.web_servers for w, _ in words)
    for i, (word, node) in enumerate(words):
        match = _TIMEOUT_ARG.match(word) if server else None
        if not match or match.group(1) not in ctx.policy.request_timeout_args:
            continue
        value = match.group(2) or (words[i + 1][0] if i + 1 < len(words) else None)
        if value and value.isdigit() and int(value) > 0:
            return int(value), "", node
    for name, name_node, entry in env_entries(c.node):
        value = entry.get("value")
        if name.upper() in ctx.policy.request_timeout_env and value is not None and (value.text() or "").isdigit():
            return int(value.text() or "0"), "", name_node
    return None


def _ingress_timeout(ctx: InfraContext, services: list[K8sObject]) -> tuple[int, str, YNode] | None:
    names = {s.name for s in services}
    for ing in ctx.of_kind("Ingress"):
        if not names & ingress_backends(ing):
            continue
        meta = ing.node.path("metadata", "annotations")
        for key in ctx.policy.ingress_timeout_annotations:
            value = meta.get(key) if meta is not None else None
            digits = re.match(r"^(\d+)s?$", (value.text() or "") if value is not None else "")
            if digits and meta is not None:
                return int(digits.group(1)), ing.rel, meta.key_node(key)  # type: ignore[return-value]
    return None
