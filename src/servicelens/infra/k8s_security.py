"""Kubernetes security review: who the pod runs as, what it may do, and what it carries.

    container-runs-as-root  privileged, allowPrivilegeEscalation: true, runAsUser: 0,
                            root-equivalent capabilities, hostPID/hostIPC, no non-root guarantee
    secret-in-image         literal secrets in env, ConfigMaps and committed Secrets
    unpinned-dependency     `latest`/untagged images (deploy-time placeholders excepted)
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens.fixcode.manifests import in_container, without_capabilities
from servicelens.infra.context import InfraContext, image_name
from servicelens.infra.findings import infra_finding, yaml_fix
from servicelens.infra.images import floating_reason, parse_image
from servicelens.infra.k8s import Container, K8sObject, Workload, env_entries
from servicelens.infra.yamldoc import YNode
from servicelens.model.finding import Confidence, Finding, Severity

_ROOT = "container-runs-as-root"
_EMBEDDED_SECRET = re.compile(r"^\s*([\w.-]*(?:password|passwd|secret|token|api[_-]?key)[\w.-]*)\s*[:=]\s*(\S.*?)\s*$",
                              re.IGNORECASE)


def check_workload_security(ctx: InfraContext, wl: Workload) -> Iterator[Finding]:
    lines = ctx.lines_of(wl.obj.rel)
    yield from _privileges(ctx, wl, lines)
    yield from _non_root(ctx, wl, lines)
    for c in wl.containers(include_init=True):
        yield from _env_secrets(ctx, wl, c, lines)
        yield from _floating_image(ctx, wl, c, lines)


def _flag(wl: Workload, lines: list[str], node: YNode | None, title: str, why: str, rule: str, key: str,
          fix: str, severity: Severity = Severity.HIGH) -> Iterator[Finding]:
    if node is None:
        return
    yield infra_finding(_ROOT, wl.obj.rel, lines, node.line, f"{wl.obj.ref}: {title}", why, rule=rule,
                        key=f"{wl.obj.ref}:{key}", severity=severity, fix=yaml_fix("Remove the privilege.", fix))


def _true_key(node: YNode | None, key: str) -> YNode | None:
    value = node.get(key) if node is not None else None
    return node.key_node(key) if value is not None and value.as_bool() is True and node is not None else None


def _privileges(ctx: InfraContext, wl: Workload, lines: list[str]) -> Iterator[Finding]:
    pod_sc = wl.pod_spec.get("securityContext")
    for field in ("hostPID", "hostIPC"):
        yield from _flag(wl, lines, _true_key(wl.pod_spec, field), f"pod shares the node's {field[4:]} namespace",
                         "Sharing the host PID/IPC namespace lets the container see and signal every process "
                         "on the node, including other tenants' and the kubelet's.", f"k8s-{field.lower()}",
                         field, f"{field}: false")
    yield from _run_as_zero(wl, lines, pod_sc, "pod")
    for c in wl.containers(include_init=True):
        sc = c.node.get("securityContext")
        yield from _flag(wl, lines, _true_key(sc, "privileged"), f"container `{c.name}` is privileged",
                         "A privileged container has every capability and the host's devices: escaping to "
                         "the node is a documented one-liner, so a bug in this app is a node compromise.",
                         "k8s-privileged", c.name, "securityContext:\n  privileged: false",
                         severity=Severity.CRITICAL)
        yield from _flag(wl, lines, _true_key(sc, "allowPrivilegeEscalation"),
                         f"container `{c.name}` allows privilege escalation",
                         "With allowPrivilegeEscalation a process can gain more privileges than its parent "
                         "(setuid binaries, file capabilities), undoing the non-root user.",
                         "k8s-privilege-escalation", c.name, "securityContext:\n  allowPrivilegeEscalation: false")
        yield from _run_as_zero(wl, lines, sc, f"container `{c.name}`")
        caps = sc.path("capabilities", "add") if sc is not None else None
        added = [item.text() or "" for item in caps.items()] if caps is not None else []
        rooted = [a for a in added if a.upper().removeprefix("CAP_") in ctx.policy.root_capabilities]
        for item in caps.items() if caps is not None else []:
            cap = (item.text() or "").upper().removeprefix("CAP_")
            if cap in ctx.policy.root_capabilities:
                yield from _flag(wl, lines, item, f"container `{c.name}` adds capability {cap}",
                                 f"{cap} is close to full root on the node (mounts, kernel modules, "
                                 "tracing other processes or rewriting the network).", "k8s-root-capability",
                                 f"{c.name}:{cap}",
                                 in_container(c.name, without_capabilities(rooted, [a for a in added if a not in rooted],
                                                                           kubernetes=True)))


def _run_as_zero(wl: Workload, lines: list[str], sc: YNode | None, who: str) -> Iterator[Finding]:
    value = sc.get("runAsUser") if sc is not None else None
    if value is not None and value.as_int() == 0 and sc is not None:
        yield from _flag(wl, lines, sc.key_node("runAsUser"), f"{who} sets runAsUser: 0",
                         "uid 0 in the container is root: a code-execution bug in the app gets root's "
                         "rights over every mounted volume and the kernel attack surface of root.",
                         "k8s-run-as-root", who, "securityContext:\n  runAsNonRoot: true\n  runAsUser: 10001")


def _ensures_non_root(sc: YNode | None) -> bool | None:
    """True/False when this securityContext decides the question, None when it is silent."""
    if sc is None:
        return None
    user = sc.get("runAsUser")
    if user is not None and user.as_int() is not None:
        return user.as_int() != 0
    flag = sc.get("runAsNonRoot")
    return flag.as_bool() if flag is not None else None


def _non_root(ctx: InfraContext, wl: Workload, lines: list[str]) -> Iterator[Finding]:
    pod_level = _ensures_non_root(wl.pod_spec.get("securityContext"))
    offenders: list[Container] = []
    for c in wl.containers(include_init=False):
        decided = _ensures_non_root(c.node.get("securityContext"))
        decided = pod_level if decided is None else decided
        if decided is True or _explicit_uid_zero(wl, c) or _known_non_root_image(ctx, c.image):
            continue  # uid 0 is its own finding (k8s-run-as-root)
        offenders.append(c)
    if not offenders:
        return
    first = offenders[0]
    names = ", ".join(f"`{c.name}`" for c in offenders)
    yield infra_finding(
        _ROOT, wl.obj.rel, lines, first.line,
        f"{wl.obj.ref}: nothing stops container {names} from running as root",
        "Neither the pod nor the container sets runAsNonRoot or a non-zero runAsUser, so the "
        "image's default user (root for most images) is used. The kubelet would refuse a root "
        "image if runAsNonRoot were set; without it a root image ships silently.",
        rule="k8s-no-run-as-non-root", key=wl.obj.ref, severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
        fix=yaml_fix("Require a non-root user for the whole pod (and drop what it does not need).",
                     "spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n"
                     "    seccompProfile:\n      type: RuntimeDefault\n  containers:\n"
                     f"    - name: {first.name}\n      securityContext:\n        allowPrivilegeEscalation: false\n"
                     "        capabilities:\n          drop: [ALL]"),
    )


def forces_non_root(wl: Workload, c: Container) -> bool:
    """The pod or container securityContext guarantees a non-zero uid for this container."""
    decided = _ensures_non_root(c.node.get("securityContext"))
    decided = _ensures_non_root(wl.pod_spec.get("securityContext")) if decided is None else decided
    return decided is True


def _explicit_uid_zero(wl: Workload, c: Container) -> bool:
    for sc in (c.node.get("securityContext"), wl.pod_spec.get("securityContext")):
        user = sc.get("runAsUser") if sc is not None else None
        if user is not None and user.as_int() is not None:
            return user.as_int() == 0
    return False


def _known_non_root_image(ctx: InfraContext, image: str) -> bool:
    return ctx.policy.is_nonroot_base(image) or image_name(image) in ctx.nonroot_images


def _env_secrets(ctx: InfraContext, wl: Workload, c: Container, lines: list[str]) -> Iterator[Finding]:
    for name, name_node, entry in env_entries(c.node):
        value = entry.get("value")
        text = value.text() if value is not None else None
        if text is None or not _is_literal_secret(ctx, name, text):
            continue
        yield infra_finding(
            "secret-in-image", wl.obj.rel, lines, name_node.line,
            f"{wl.obj.ref}: secret `{name}` is written into the manifest",
            "The value sits in git and in the object every `kubectl get -o yaml` user can read; "
            "it cannot be rotated without a commit and a redeploy.",
            rule="k8s-env-literal-secret", key=f"{wl.obj.ref}:{c.name}:{name}",
            fix=yaml_fix("Reference a Secret instead of the literal.",
                         f"- name: {name}\n  valueFrom:\n    secretKeyRef:\n      name: {wl.obj.name}-secrets\n"
                         f"      key: {name.lower().replace('_', '-')}"),
        )


def _is_literal_secret(ctx: InfraContext, name: str, value: str) -> bool:
    policy = ctx.policy
    if policy.looks_like_secret_value(value) or policy.credential_in_url(value):
        return True
    return policy.is_secret_name(name) and not policy.is_placeholder(value) \
        and not policy.is_name_placeholder(name, value)


def _floating_image(ctx: InfraContext, wl: Workload, c: Container, lines: list[str]) -> Iterator[Finding]:
    node = c.node.get("image")
    if node is None or not c.image or image_name(c.image) in ctx.placeholder_images:
        return
    image = parse_image(c.image)
    reason = floating_reason(image, ctx.policy)
    if reason is None:
        return
    yield infra_finding(
        "unpinned-dependency", wl.obj.rel, lines, node.line,
        f"{wl.obj.ref}: image `{c.image}` is not pinned ({reason})",
        "Every node pull (a reschedule, a scale-up) may fetch a different build, so replicas of "
        "one Deployment run different code and a rollback does not restore the old image.",
        rule="k8s-floating-image", key=f"{wl.obj.ref}:{c.name}",
        fix=yaml_fix("Pin a version tag, ideally with the digest.",
                     f"image: {image.repository}:<version>@sha256:<digest>"),
    )


def check_config_secrets(ctx: InfraContext, obj: K8sObject) -> Iterator[Finding]:
    """Literal secrets in ConfigMaps (readable by anyone who may read config) and Secrets in git."""
    lines = ctx.lines_of(obj.rel)
    if obj.kind == "ConfigMap":
        data = obj.node.get("data")
        for key, key_node, value in data.entries() if data is not None else []:
            yield from _configmap_entry(ctx, obj, lines, key, key_node, value)
    elif obj.kind == "Secret" and obj.api_version == "v1":
        yield from _committed_secret(ctx, obj, lines)


def _configmap_entry(ctx: InfraContext, obj: K8sObject, lines: list[str], key: str, key_node: YNode,
                     value: YNode) -> Iterator[Finding]:
    text = value.text() or ""
    hit_line = 0
    secret_key, reference = key, ""  # what the Secret holds, and how the config file then reads it
    if "\n" not in text.strip():
        hit_line = key_node.line if _is_literal_secret(ctx, key, text) else 0
    else:
        for offset, row in enumerate(text.splitlines()):
            match = _EMBEDDED_SECRET.match(row)
            if match and not ctx.policy.is_placeholder(match.group(2)) and len(match.group(2)) > 2:
                hit_line = value.line + offset + (1 if value.node.style in ("|", ">") else 0)
                secret_key = match.group(1)
                env = re.sub(r"\W+", "_", secret_key).upper()
                reference = f"\n# {key}: {secret_key}=${{{env}}}, with {env} set from this Secret"
                break
    if hit_line:
        yield infra_finding(
            "secret-in-image", obj.rel, lines, hit_line,
            f"{obj.ref}: secret value stored in a ConfigMap (`{key}`)",
            "ConfigMaps are not encrypted at rest and are readable by far more roles than Secrets; "
            "a credential here is effectively published to the namespace.",
            rule="k8s-configmap-secret", key=f"{obj.ref}:{key}",
            fix=yaml_fix("Move the value to a Secret and mount or reference it from there.",
                         f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {obj.name}-secrets\n"
                         f"type: Opaque\nstringData:\n  {secret_key}: <injected by your secret manager, not committed>"
                         f"{reference}"),
        )


def _committed_secret(ctx: InfraContext, obj: K8sObject, lines: list[str]) -> Iterator[Finding]:
    kind = (obj.node.get("type").text() or "") if obj.node.get("type") is not None else ""
    if kind == "kubernetes.io/service-account-token":
        return
    for field in ("stringData", "data"):
        data = obj.node.get(field)
        real = [k for k, _, v in (data.entries() if data is not None else [])
                if (v.text() or "").strip() and not ctx.policy.is_placeholder(v.text() or "")]
        if data is not None and real:
            key = obj.node.key_node(field)
            yield infra_finding(
                "secret-in-image", obj.rel, lines, key.line if key is not None else obj.line,
                f"{obj.ref}: Secret values committed to the repository ({', '.join(real[:4])})",
                "A Secret manifest with values in git is a plain-text (base64 is not encryption) "
                "credential for everyone with read access to the repository and its history.",
                rule="k8s-committed-secret", key=obj.ref, confidence=Confidence.MEDIUM,
                fix=yaml_fix("Commit an encrypted form (SealedSecret, SOPS) or an ExternalSecret instead.",
                             f"apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n"
                             f"  name: {obj.name}\nspec:\n  secretStoreRef: {{name: <store>, kind: ClusterSecretStore}}\n"
                             f"  target: {{name: {obj.name}}}\n  dataFrom:\n    - extract: {{key: {obj.name}}}"),
            )
            return

