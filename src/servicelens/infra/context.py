"""What the infrastructure checks may know about the whole project, built once per run.

Checks of one manifest need facts from others: the PodDisruptionBudget or HPA in another
file, the Service that routes to a Deployment, the skaffold/kustomize config that swaps
an `image:` placeholder, the Dockerfile that builds an image and its USER.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from servicelens.infra.k8s import K8sObject, Workload
from servicelens.infra.policy import Policy


@dataclass(frozen=True, slots=True)
class InfraContext:
    policy: Policy
    lines: Mapping[str, list[str]]  # rel -> source lines of every reviewed document
    objects: tuple[K8sObject, ...]  # every Kubernetes object in the project
    workloads: tuple[Workload, ...]
    placeholder_images: frozenset[str] = frozenset()  # replaced at deploy time (skaffold/kustomize)
    nonroot_images: frozenset[str] = frozenset()  # built here by a Dockerfile ending as non-root
    has_kustomize: bool = False
    notes: tuple[str, ...] = field(default=())

    def of_kind(self, *kinds: str) -> list[K8sObject]:
        return [o for o in self.objects if o.kind in kinds]

    def lines_of(self, rel: str) -> list[str]:
        return list(self.lines.get(rel, []))


def image_name(image: str) -> str:
    """Repository without registry-independent tag/digest: `gcr.io/x/app:1` -> `gcr.io/x/app`."""
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    return ref[: len(ref) - len(last)] + last.split(":", 1)[0] if ":" in last else ref


def same_namespace(a: K8sObject, b: K8sObject) -> bool:
    return (a.namespace or "default") == (b.namespace or "default") or not a.namespace or not b.namespace
