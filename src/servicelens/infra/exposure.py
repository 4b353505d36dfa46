"""Services reachable from outside that should be internal.

Reported as `missing-authentication` (CWE-306): the taxonomy has no "network exposure"
concern, and the harm is exactly that one: a datastore or an internal API becomes
reachable by anyone who can reach the node or load balancer, without passing the
gateway/Ingress where authentication is enforced. A public entry point (`frontend`
behind a LoadBalancer) is normal and is never reported: only datastores, and backends
that are *also* routed through an Ingress (so the LoadBalancer is a side door), are.
"""
from __future__ import annotations

from typing import Iterator

from servicelens.infra.context import InfraContext, same_namespace
from servicelens.infra.findings import infra_finding, yaml_fix
from servicelens.infra.k8s import K8sObject, ingress_backends, selector_of, selects
from servicelens.model.finding import Confidence, Finding, Severity

_EXTERNAL_TYPES = {"NodePort", "LoadBalancer"}


def check_service_exposure(ctx: InfraContext, svc: K8sObject) -> Iterator[Finding]:
    spec = svc.node.get("spec")
    type_node = spec.get("type") if spec is not None else None
    kind = (type_node.text() or "") if type_node is not None else ""
    if spec is None or type_node is None or kind not in _EXTERNAL_TYPES or _restricted(ctx, svc):
        return
    datastore = _datastore_behind(ctx, svc)
    side_door = not _meant_public(svc) and _also_behind_ingress(ctx, svc)
    if datastore is None and not side_door:
        return
    if datastore is not None:
        title = f"{svc.ref}: {datastore} is exposed outside the cluster via {kind}"
        why = (f"A {kind} Service opens {datastore} to anything that can reach the nodes or the load "
               "balancer. Datastores rely on network isolation far more than on their own auth: "
               "credential stuffing, unauthenticated defaults and CVEs in the wire protocol become "
               "internet-facing.")
        severity, confidence = Severity.HIGH, Confidence.HIGH
    else:
        title = f"{svc.ref}: {kind} exposes a backend that is already routed through an Ingress"
        why = ("The same pods are reachable both through the Ingress (where TLS, auth and rate limits "
               f"usually live) and directly through this {kind}, which bypasses all of it.")
        severity, confidence = Severity.MEDIUM, Confidence.MEDIUM
    lines = ctx.lines_of(svc.rel)
    yield infra_finding(
        "missing-authentication", svc.rel, lines, type_node.line, title, why,
        rule="k8s-exposed-service", key=svc.ref, severity=severity, confidence=confidence,
        fix=yaml_fix("Keep it cluster-internal (or restrict the load balancer to known ranges).",
                     "spec:\n  type: ClusterIP\n"
                     "# if it must leave the cluster: an internal LB plus\n"
                     "#  loadBalancerSourceRanges: [10.0.0.0/8]"),
    )


def _meant_public(svc: K8sObject) -> bool:
    """`frontend-external`, `web-public`: the name says this door is the intended entrance."""
    return any(word in svc.name.lower() for word in ("external", "public", "edge", "gateway", "ingress"))


def _restricted(ctx: InfraContext, svc: K8sObject) -> bool:
    spec = svc.node.get("spec")
    if spec is not None and spec.get("loadBalancerSourceRanges") is not None:
        return True
    annotations = svc.annotations()
    return any(annotations.get(key, "").strip() in values
               for key, values in ctx.policy.internal_lb_annotations.items())


def _datastore_behind(ctx: InfraContext, svc: K8sObject) -> str | None:
    ports = svc.node.path("spec", "ports")
    for item in ports.items() if ports is not None else []:
        for field in ("port", "targetPort"):
            value = item.get(field)
            number = value.as_int() if value is not None else None
            if number in ctx.policy.datastore_ports:
                return ctx.policy.datastore_ports[number]  # type: ignore[index]
    selector = selector_of(svc)
    for wl in ctx.workloads:
        if same_namespace(wl.obj, svc) and selects(selector, wl.labels):
            for c in wl.containers():
                if ctx.policy.is_datastore_image(c.image):
                    return c.image.split("@")[0]
    return None


def _also_behind_ingress(ctx: InfraContext, svc: K8sObject) -> bool:
    selector = selector_of(svc)
    twins = {s.name for s in ctx.of_kind("Service") if same_namespace(s, svc) and selector
             and selector_of(s) == selector}
    twins.add(svc.name)
    return any(twins & ingress_backends(ing) for ing in ctx.of_kind("Ingress")
               if same_namespace(ing, svc) and not ctx.policy.is_dev_only(ing.rel))
