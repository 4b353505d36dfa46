"""Kubernetes objects as typed views over line-aware YAML nodes.

    file --load_documents--> YNode per `---` --as_objects--> K8sObject (List items expanded)
    K8sObject --workload()--> Workload(pod spec, containers, labels)

The views keep their nodes so every check can point at the exact line it talks about.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.infra.policy import Policy, WorkloadKind
from servicelens.infra.yamldoc import YNode


@dataclass(frozen=True, slots=True)
class K8sObject:
    rel: str
    api_version: str
    kind: str
    name: str
    namespace: str
    node: YNode

    @property
    def line(self) -> int:
        """Line of `metadata.name` when present: where people look for "which object"."""
        meta = self.node.get("metadata")
        name = meta.key_node("name") if meta is not None else None
        return name.line if name is not None else self.node.line

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"

    def annotations(self) -> dict[str, str]:
        node = self.node.path("metadata", "annotations")
        return {k: (v.text() or "") for k, _, v in node.entries()} if node is not None else {}


@dataclass(frozen=True, slots=True)
class Container:
    name: str
    image: str
    node: YNode
    init: bool

    @property
    def line(self) -> int:
        key = self.node.key_node("name")
        return key.line if key is not None else self.node.line


@dataclass(frozen=True, slots=True)
class Workload:
    obj: K8sObject
    kind: WorkloadKind
    pod_spec: YNode
    labels: dict[str, str]  # pod template labels: what Services and PDBs select on

    def containers(self, include_init: bool = False) -> list[Container]:
        out: list[Container] = []
        fields = ("initContainers", "containers") if include_init else ("containers",)
        for field in fields:
            seq = self.pod_spec.get(field)
            for item in seq.items() if seq is not None else []:
                if item.is_map:
                    out.append(Container((item.get("name") or item).text() or "", _text(item.get("image")),
                                         item, field == "initContainers"))
        return out

    @property
    def replicas_node(self) -> YNode | None:
        spec = self.obj.node.get("spec")
        return spec.get("replicas") if spec is not None else None


def as_objects(rel: str, doc: YNode) -> list[K8sObject]:
    """The objects of one document: itself, or the items of a `kind: List`."""
    if not doc.is_map:
        return []
    kind = _text(doc.get("kind"))
    if kind.endswith("List") and doc.get("items") is not None:
        return [o for item in doc.get("items").items() for o in as_objects(rel, item)]  # type: ignore[union-attr]
    api = _text(doc.get("apiVersion"))
    if not kind or not api:
        return []
    meta = doc.get("metadata")
    name = _text(meta.get("name")) if meta is not None else ""
    namespace = _text(meta.get("namespace")) if meta is not None else ""
    return [K8sObject(rel, api, kind, name, namespace, doc)]


def as_workload(obj: K8sObject, policy: Policy) -> Workload | None:
    kind = policy.workload(obj.api_version, obj.kind)
    if kind is None:
        return None
    pod_spec = obj.node.path(*kind.pod_spec)
    if pod_spec is None or not pod_spec.is_map:
        return None
    template_path = kind.pod_spec[:-1]
    meta = obj.node.path(*template_path, "metadata") if template_path else obj.node.get("metadata")
    labels_node = meta.get("labels") if meta is not None else None
    labels = {k: (v.text() or "") for k, _, v in labels_node.entries()} if labels_node is not None else {}
    return Workload(obj, kind, pod_spec, labels)


def selector_of(obj: K8sObject) -> dict[str, str] | None:
    """A Service's `spec.selector` or a PDB's `spec.selector.matchLabels` as a dict."""
    spec = obj.node.get("spec")
    if spec is None:
        return None
    sel = spec.get("selector")
    if sel is None or not sel.is_map:
        return None
    labels = sel.get("matchLabels") if sel.get("matchLabels") is not None else sel
    if sel.get("matchExpressions") is not None and sel.get("matchLabels") is None:
        return None  # expressions: we do not evaluate them, so we claim no match either way
    return {k: (v.text() or "") for k, _, v in labels.entries()}


def selects(selector: dict[str, str] | None, labels: dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())  # type: ignore[union-attr]


def _text(node: YNode | None) -> str:
    return (node.text() or "") if node is not None else ""


def env_entries(container: YNode) -> list[tuple[str, YNode, YNode]]:
    """(name, name node, entry node) for each `env:` item of a container."""
    env = container.get("env")
    out = []
    for item in env.items() if env is not None else []:
        name = item.get("name")
        if name is not None and name.text():
            out.append((name.text() or "", name, item))
    return out


def ingress_backends(ing: K8sObject) -> set[str]:
    """Names of the Services an Ingress routes to (v1 and the old extensions/v1beta1 shape)."""
    found: set[str] = set()

    def walk(node: YNode, depth: int = 0) -> None:
        if depth > 12:
            return
        if node.is_map:
            svc = node.path("service", "name") or node.get("serviceName")
            if svc is not None and svc.text():
                found.add(svc.text() or "")
            for _, _, value in node.entries():
                walk(value, depth + 1)
        for item in node.items():
            walk(item, depth + 1)

    spec = ing.node.get("spec")
    if spec is not None:
        walk(spec)
    return found
