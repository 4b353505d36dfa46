"""The infrastructure analysis family: Dockerfiles, docker-compose and Kubernetes manifests.

    Project.files_of(dockerfile, compose, kubernetes)
        -> documents (diagnostics for templates / bad YAML / huge files)
        -> InfraContext (objects across files, placeholders, non-root images)
        -> docker_checks, compose, k8s_security, k8s_ops, exposure, shared_creds
        -> AnalysisResult(findings, diagnostics, deployables, open_questions)

A failure inside one file's checks becomes a diagnostic; the other files are still reviewed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Callable, Iterable, Iterator

from servicelens.analysis.base import AnalysisResult, Project
from servicelens.analysis.containment import contained
from servicelens.infra import compose as compose_mod
from servicelens.infra.context import InfraContext, image_name
from servicelens.infra.development import development_files, mark_development, normalize_path
from servicelens.infra.docker_checks import DockerContext, check_dockerfile, effective_user
from servicelens.infra.dockerfile import Dockerfile, parse_dockerfile
from servicelens.infra.documents import YamlFile, is_unrendered_template, read_yaml, template_diagnostics
from servicelens.infra.exposure import check_service_exposure
from servicelens.infra.k8s import K8sObject, Workload, as_objects, as_workload
from servicelens.infra.k8s_ops import check_workload_ops
from servicelens.infra.k8s_security import check_config_secrets, check_workload_security, forces_non_root
from servicelens.infra.policy import Policy, load_policy
from servicelens.infra.postprocess import aggregate_repeats, merge_copies
from servicelens.infra.project_name import normalise, project_names
from servicelens.infra.shared_creds import check_shared, compose_uses, k8s_uses
from servicelens.model.finding import Finding, Location
from servicelens.model.report import Deployable, Diagnostic, OpenQuestion

CONCERNS = frozenset({
    "container-runs-as-root", "unpinned-dependency", "secret-in-image", "missing-resource-limits",
    "missing-health-check", "single-replica", "missing-authentication",
})


@dataclass(frozen=True, slots=True)
class _Inputs:
    dockerfiles: dict[str, Dockerfile]
    compose: list[YamlFile]
    kubernetes: list[YamlFile]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True, slots=True)
class InfraAnalysis:
    """Reviews how services are built and deployed, as a platform engineer would."""

    name: str = "infrastructure"
    concerns: frozenset[str] = CONCERNS

    def run(self, project: Project) -> AnalysisResult:
        policy = load_policy()
        inputs = _read(project)
        lines = {f.rel: f.lines for f in project.files_of("dockerfile", "compose", "kubernetes")}
        diagnostics = list(inputs.diagnostics)
        objects = tuple(o for y in inputs.kubernetes for d in y.docs for o in contained(
            y.rel, "reading Kubernetes objects", lambda y=y, d=d: list(as_objects(y.rel, d)), [], diagnostics))
        typed = [(o, contained(o.rel, "reading a Kubernetes workload", lambda o=o: (as_workload(o, policy),), (),
                               diagnostics)) for o in objects]
        objects = tuple(o for o, workload in typed if workload)  # an object that cannot be read is not reviewed
        workloads = tuple(w[0] for _, w in typed if w and w[0] is not None)
        ctx = InfraContext(policy, lines, objects, workloads, _placeholders(objects),
                           _nonroot_images(objects, inputs, policy),
                           any(o.kind == "Kustomization" for o in objects))
        built = _built_images(objects, inputs)
        development = development_files(lines, inputs.dockerfiles, [(y.rel, y.docs) for y in inputs.compose],
                                        [y.rel for y in inputs.kubernetes], policy)
        findings: list[Finding] = []
        names = project_names(project.files)
        for rel, df in sorted(inputs.dockerfiles.items()):
            dctx = DockerContext(rel, lines[rel], df, policy, bool(workloads) or _compose_healthchecked(rel, inputs),
                                 _enforced_non_root(rel, built.get(rel, set()), workloads)
                                 or _drops_privileges(df, policy)
                                 or _base_of_non_root_images(rel, inputs, policy, frozenset(development))
                                 or _from_own_non_root_image(rel, inputs, policy, names)
                                 or _build_only_image(rel, inputs),
                                 _own_images(inputs))
            findings.extend(_guard(rel, diagnostics, lambda d=dctx: check_dockerfile(d)))
        for y in inputs.compose:
            healthy = _healthy_siblings(y.rel, inputs)
            for doc in y.docs:
                findings.extend(_guard(y.rel, diagnostics, lambda d=doc, y=y, h=healthy: compose_mod.check_compose(
                    y.rel, y.lines, d, policy, h)))
        for obj in objects:
            findings.extend(_guard(obj.rel, diagnostics, lambda o=obj: _check_object(ctx, o)))
        findings.extend(_guard("", diagnostics, lambda: _shared(ctx, inputs)))
        merged = aggregate_repeats(merge_copies(_dedupe(findings)))
        merged = mark_development(merged, development)
        enabled = [f for f in merged if project.settings.enabled(f.concern)]
        return AnalysisResult(
            findings=tuple(sorted(enabled, key=Finding.sort_key)),
            diagnostics=tuple(sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.kind, d.message))),
            deployables=_deployables(inputs, workloads),
            open_questions=_questions(inputs, workloads),
        )


def _read(project: Project) -> _Inputs:
    dockerfiles: dict[str, Dockerfile] = {}
    compose: list[YamlFile] = []
    kubernetes: list[YamlFile] = []
    diagnostics: list[Diagnostic] = []
    templates: list[str] = []
    for f in project.files_of("dockerfile", "compose", "kubernetes"):
        if f.kind == "dockerfile":
            parsed_df = contained(f.rel, "reading the Dockerfile", lambda f=f: parse_dockerfile(f.text), None,
                                  diagnostics)
            if parsed_df is not None:
                dockerfiles[f.rel] = parsed_df
            continue
        if is_unrendered_template(f.text):
            templates.append(f.rel)
            continue
        parsed = contained(f.rel, "reading YAML", lambda f=f: read_yaml(f.rel, f.text), None, diagnostics)
        if parsed is None:
            continue
        diagnostics.extend(parsed.diagnostics)
        if f.kind == "compose":
            parsed = _readable_compose(parsed, diagnostics)
        (compose if f.kind == "compose" else kubernetes).append(parsed)
    diagnostics.extend(template_diagnostics(templates))
    return _Inputs(dockerfiles, compose, kubernetes, diagnostics)


def _readable_compose(parsed: YamlFile, diagnostics: list[Diagnostic]) -> YamlFile:
    """Only the compose documents whose services can be listed: every later step lists them."""
    docs = tuple(d for d in parsed.docs if contained(parsed.rel, "reading compose services",
                                                     lambda d=d: bool(compose_mod.services_of(d)) or True,
                                                     False, diagnostics))
    return replace(parsed, docs=docs) if len(docs) != len(parsed.docs) else parsed


def _guard(rel: str, diagnostics: list[Diagnostic], produce: Callable[[], Iterable[Finding]]) -> list[Finding]:
    """Run one file's checks; an unexpected shape in that file must not end the review."""
    return contained(rel or ".", "infrastructure checks", lambda: list(produce()), [], diagnostics)


def _check_object(ctx: InfraContext, obj: K8sObject) -> Iterator[Finding]:
    wl = as_workload(obj, ctx.policy)
    if wl is not None:
        yield from check_workload_security(ctx, wl)
        yield from check_workload_ops(ctx, wl)
    elif obj.kind in ("ConfigMap", "Secret"):
        yield from check_config_secrets(ctx, obj)
    elif obj.kind == "Service" and obj.api_version == "v1":
        yield from check_service_exposure(ctx, obj)


def _shared(ctx: InfraContext, inputs: _Inputs) -> Iterator[Finding]:
    uses = list(k8s_uses(ctx.workloads, ctx.policy))
    for y in inputs.compose:
        for doc in y.docs:
            uses.extend(compose_uses(y.rel, compose_mod.services_of(doc), ctx.policy))
    yield from check_shared(uses, ctx.lines_of)


def _placeholders(objects: tuple[K8sObject, ...]) -> frozenset[str]:
    """Images that skaffold, kustomize or similar replace at deploy time: not really pulled."""
    names: set[str] = set()
    for obj in objects:
        if obj.api_version.startswith("skaffold/"):
            arts = obj.node.path("build", "artifacts")
            names.update(image_name(a.get("image").text() or "") for a in (arts.items() if arts else [])
                         if a.get("image") is not None)
        elif obj.kind == "Kustomization":
            images = obj.node.get("images")
            names.update(image_name(i.get("name").text() or "") for i in (images.items() if images else [])
                         if i.get("name") is not None and (i.get("newTag") or i.get("digest") or i.get("newName")))
    return frozenset(n for n in names if n)


def _built_images(objects: tuple[K8sObject, ...], inputs: _Inputs) -> dict[str, set[str]]:
    """Dockerfile rel -> image names skaffold builds from it (any Dockerfile* in the context,
    since profiles switch between `Dockerfile` and `Dockerfile.debug`)."""
    out: dict[str, set[str]] = {}
    for obj in objects:
        if not obj.api_version.startswith("skaffold/"):
            continue
        arts = [a for node in [obj.node, *(p for p in (obj.node.get("profiles").items()
                                                      if obj.node.get("profiles") else []))]
                for a in ((node.path("build", "artifacts").items()) if node.path("build", "artifacts") else [])]
        for art in arts:
            image = art.get("image")
            context = (art.get("context").text() if art.get("context") is not None else "") or "."
            folder = normalize_path(str(PurePosixPath(obj.rel).parent / context))
            for rel in inputs.dockerfiles:
                if image is not None and str(PurePosixPath(rel).parent) in (folder, folder or "."):
                    out.setdefault(rel, set()).add(image_name(image.text() or ""))
    return out


def _nonroot_images(objects: tuple[K8sObject, ...], inputs: _Inputs, policy: Policy) -> frozenset[str]:
    """Images built from a Dockerfile in this repo whose final stage runs as a non-root user."""
    built = _built_images(objects, inputs)
    return frozenset(name for rel, names in built.items() if _runs_non_root(inputs.dockerfiles[rel], policy)
                     for name in names)


def _enforced_non_root(rel: str, images: set[str], workloads: tuple[Workload, ...]) -> bool:
    """Every Kubernetes container running an image built from this Dockerfile forces non-root."""
    uses = [(wl, c) for wl in workloads for c in wl.containers() if image_name(c.image) in images]
    return bool(uses) and all(forces_non_root(wl, c) for wl, c in uses)


def _own_images(inputs: _Inputs) -> frozenset[str]:
    """Image names the project builds: the directory of each Dockerfile that is not the root."""
    names = {PurePosixPath(rel).parent.name.lower() for rel in inputs.dockerfiles}
    return frozenset(n for n in names if n and n not in (".", "docker", "build", "deploy", "images"))


def _drops_privileges(df: Dockerfile, policy: Policy) -> bool:
    """The image installs or calls a tool that drops root in the entrypoint (gosu, su-exec,
    s6-overlay): it starts as root only to fix ownership, then runs the service unprivileged."""
    for stage in df.stages:
        for ins in stage.instructions:
            text = " ".join([ins.args, *ins.heredocs]).lower()
            if any(re.search(rf"(?<![\w-]){re.escape(tool)}(?![\w-])", text) for tool in policy.privilege_drop_tools):
                return True
    return False


def _base_of_non_root_images(rel: str, inputs: _Inputs, policy: Policy, development: frozenset[str]) -> bool:
    """A base image only: other Dockerfiles of the project build `FROM` it (an image named after
    this Dockerfile's directory, `extras/docker/base` -> `org/base`), and every one of them that
    is deployed ends as a non-root user. Its own lack of USER never runs a service, and a demo or
    development image built from it is not a deployment (it is judged, and held back, on its own)."""
    folder = PurePosixPath(rel).parent.name.lower()
    if not folder or folder == ".":
        return False
    children = [(other, df) for other, df in inputs.dockerfiles.items() if other != rel
                and any(image_name(s.base).rsplit("/", 1)[-1].lower() == folder for s in df.stages)]
    deployed = [df for other, df in children if other not in development]
    return bool(children) and all(_runs_non_root(df, policy) for df in deployed)


def _from_own_non_root_image(rel: str, inputs: _Inputs, policy: Policy, names: frozenset[str]) -> bool:
    """Built `FROM` the project's own image (named after the project: `FROM acme/ledger:develop`
    in the `ledger` project), which the root Dockerfile builds and which ends as a non-root user:
    USER carries over into every image built from it, so this one runs unprivileged unless it
    switches back (a `USER root` here is judged on its own)."""
    root = inputs.dockerfiles.get("Dockerfile")
    stage = inputs.dockerfiles[rel].final
    if rel == "Dockerfile" or root is None or stage is None or not names \
            or effective_user(inputs.dockerfiles[rel], stage)[0] is not None:
        return False
    base = stage.base
    parent = inputs.dockerfiles[rel].stage_named(base)
    while parent is not None and parent.index < stage.index:
        stage, base = parent, parent.base
        parent = inputs.dockerfiles[rel].stage_named(base)
    return normalise(image_name(base).rsplit("/", 1)[-1]) in names and _runs_non_root(root, policy)


def _build_only_image(rel: str, inputs: _Inputs) -> bool:
    """A build context only: another Dockerfile of the project copies files out of it
    (`COPY --from=assets` naming this Dockerfile's directory, `core/admin/assets`, and no stage
    of its own), and it names no CMD or ENTRYPOINT of its own, so it never runs a service: its
    output (compiled assets, wheels) is copied into an image that does, which is judged itself."""
    df = inputs.dockerfiles[rel]
    folder = PurePosixPath(rel).parent.name.lower()
    if not folder or folder == "." or any(s.last("CMD") or s.last("ENTRYPOINT") for s in df.stages):
        return False
    return any(_copies_from(other, folder) for name, other in inputs.dockerfiles.items() if name != rel)


def _copies_from(df: Dockerfile, folder: str) -> bool:
    """Does `df` copy files out of an image or build context named `folder` (not one of its stages)?"""
    for stage in df.stages:
        for ins in stage.all("COPY"):
            source = ins.flags.get("from", "")
            if source and df.stage_named(source) is None \
                    and image_name(source).rsplit("/", 1)[-1].lower() == folder:
                return True
    return False


def _runs_non_root(df: Dockerfile, policy: Policy) -> bool:
    stage = df.final
    if stage is None:
        return False
    user, _ = effective_user(df, stage)
    if user is None:
        return policy.is_nonroot_base(stage.base)
    return user.lower() not in {"root", "0", "0:0", "root:root"}


def _healthy_siblings(rel: str, inputs: _Inputs) -> frozenset[str]:
    """Services given a healthcheck elsewhere: in any compose file of the same directory (merged
    at run time), and, for a service this file only adds to (no `image:` or `build:` of its
    own: an overlay merged into a base file), in any compose file of the project."""
    folder = PurePosixPath(rel).parent
    healthy = [(y.rel, svc.name) for y in inputs.compose for doc in y.docs for svc in compose_mod.services_of(doc)
               if compose_mod.has_healthcheck(svc)]
    partial = {svc.name for y in inputs.compose if y.rel == rel for doc in y.docs
               for svc in compose_mod.services_of(doc) if not _defines_container(svc)}
    return frozenset(name for where, name in healthy if PurePosixPath(where).parent == folder or name in partial)


def _defines_container(svc: compose_mod.ComposeService) -> bool:
    image = svc.node.get("image")
    return svc.node.get("build") is not None or (image is not None and not image.is_reset and bool(image.text()))


def _compose_healthchecked(rel: str, inputs: _Inputs) -> bool:
    """A compose service that builds this Dockerfile and defines its own healthcheck."""
    for y in inputs.compose:
        for doc in y.docs:
            for svc in compose_mod.services_of(doc):
                build = svc.node.get("build")
                if build is None or svc.node.get("healthcheck") is None:
                    continue
                context = (build.get("context") if build.is_map else build)
                name = build.get("dockerfile") if build.is_map else None
                path = PurePosixPath(y.rel).parent / ((context.text() if context else None) or ".") / (
                    (name.text() if name else None) or "Dockerfile")
                if normalize_path(str(path)) == rel:
                    return True
    return False


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[str, str, int, str], Finding] = {}
    for f in findings:
        seen.setdefault((f.concern, f.location.path, f.location.start_line, f.key), f)
    return list(seen.values())


def _deployables(inputs: _Inputs, workloads: tuple[Workload, ...]) -> tuple[Deployable, ...]:
    out: list[Deployable] = []
    for rel, df in sorted(inputs.dockerfiles.items()):
        parent = PurePosixPath(rel).parent.name or "."
        final = df.final
        out.append(Deployable("dockerfile", parent, Location(rel, final.from_line if final else 1),
                              final.base if final else ""))
    for y in inputs.compose:
        for doc in y.docs:
            for svc in compose_mod.services_of(doc):
                out.append(Deployable("compose-service", svc.name, Location(y.rel, svc.key.line), svc.text("image")))
    for wl in workloads:
        images = [c.image for c in wl.containers()]
        out.append(Deployable(f"k8s-{wl.obj.kind.lower()}", wl.obj.name, Location(wl.obj.rel, wl.obj.line),
                              images[0] if images else ""))
    return tuple(out)


def _questions(inputs: _Inputs, workloads: tuple[Workload, ...]) -> tuple[OpenQuestion, ...]:
    if inputs.dockerfiles and not workloads and not inputs.compose:
        return (OpenQuestion(
            "How are these images run in production (Kubernetes, ECS, Cloud Run, a VM)?",
            "No deployment manifests were found, so replicas, probes, resource limits and network "
            "exposure were not reviewed; the Dockerfiles were reviewed on their own.",
            ", ".join(sorted(inputs.dockerfiles)[:5])),)
    return ()
