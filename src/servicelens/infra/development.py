"""Which infrastructure files only ever run on a developer's machine or in CI.

A root container, a literal password or a floating tag in such a file is accurate but
never reaches a deployment (TRIAGE: a nit). The file says what it is for in one of four
ways, all read from data (infra/data/policy.yaml), never from a repository's names:

- its path: `compose.with-e2e.yml`, `docker/local.Dockerfile`, `docs/install/...`;
- its opening comment: "# This file is for the development setup";
- what a compose service builds or mounts: a development Dockerfile, or the whole source
  tree bind-mounted for live editing;
- what it runs: only datastores and development tools, the backing services of an
  application started on the host.

Findings in such a file keep their place in `--profile extended` with reach `development`
(analysis/profiles.py holds that reach back), so nothing is deleted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Iterable, Mapping

from servicelens.infra.policy import Policy
from servicelens.infra.yamldoc import YNode
from servicelens.model.finding import Finding, Location, TraceStep

DEVELOPMENT = "development"
_HEADER_LINES = 6


@dataclass(frozen=True, slots=True)
class DevelopmentFile:
    rel: str
    reason: str  # what shows it, for the finding's evidence


def path_reason(rel: str, policy: Policy) -> str:
    """Why the path alone marks a development artefact ("" when it does not)."""
    if policy.is_dev_only(rel):
        return "its path is a CI, dev-container or test-runner file"
    words = [w for w in re.split(r"[/._-]+", rel.lower()) if w]
    if any(w in policy.production_path_words for w in words):
        return ""
    marked = next((w for w in words if w in policy.development_path_words), "")
    return f"its path says `{marked}`" if marked else ""


def header_reason(lines: list[str], policy: Policy) -> str:
    """Why the file's opening comment marks it as development-only ("" when it does not)."""
    comments: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#!") or re.match(r"#\s*(syntax|escape|check)\s*=", stripped):
            continue  # blank lines and parser directives come before the comment that matters
        if not stripped.startswith("#") or len(comments) >= _HEADER_LINES:
            break
        comments.append(stripped.lstrip("#").strip())
    text = " ".join(comments).lower()
    words = set(re.findall(r"[a-z0-9]+", text))
    if words & policy.production_path_words:
        return ""
    marked = sorted(words & policy.development_header_words)
    return f"its opening comment says it is for {marked[0]}" if marked else ""


def compose_reason(rel: str, docs: Iterable[YNode], policy: Policy, development_dockerfiles: frozenset[str]) -> str:
    """Why what a compose file builds, mounts or runs marks it as a development setup."""
    services = [node for doc in docs if doc.is_map and doc.get("services") is not None
                for _, _, node in doc.get("services").entries() if node.is_map]  # type: ignore[union-attr]
    if not services:
        return ""
    folder = PurePosixPath(rel).parent
    for node in services:
        build = node.get("build")
        if build is not None:
            built = _built_dockerfile(folder, build)
            if built in development_dockerfiles:
                return f"it builds the development image `{built}`"
            if _mounts_source_tree(node):
                return "it bind-mounts the source tree into the container it builds, for live editing"
    images = [(node.get("image").text() or "") if node.get("image") is not None else "" for node in services]
    if all(images) and all(policy.is_datastore_image(i) or _repository(i) in policy.development_tool_images
                           for i in images):
        return "it runs only datastores and development tools, the backing services of an application run elsewhere"
    return ""


def development_files(
    lines: Mapping[str, list[str]],
    dockerfiles: Iterable[str],
    compose: Iterable[tuple[str, tuple[YNode, ...]]],
    kubernetes: Iterable[str],
    policy: Policy,
) -> dict[str, DevelopmentFile]:
    """rel -> why the file is development-only, for every such infrastructure file."""
    found: dict[str, DevelopmentFile] = {}
    for rel in [*dockerfiles, *kubernetes]:
        reason = path_reason(rel, policy) or header_reason(lines.get(rel, []), policy)
        if reason:
            found[rel] = DevelopmentFile(rel, reason)
    dev_dockerfiles = frozenset(rel for rel in dockerfiles if rel in found)
    for rel, docs in compose:
        reason = (path_reason(rel, policy) or header_reason(lines.get(rel, []), policy)
                  or compose_reason(rel, docs, policy, dev_dockerfiles))
        if reason:
            found[rel] = DevelopmentFile(rel, reason)
    return found


def mark_development(findings: Iterable[Finding], files: Mapping[str, DevelopmentFile]) -> list[Finding]:
    """Findings in development-only files, with reach `development` and the reason as evidence."""
    out: list[Finding] = []
    for finding in findings:
        dev = files.get(finding.location.path)
        if dev is None:
            out.append(finding)
            continue
        step = TraceStep(Location(dev.rel, 1), f"development-only file: {dev.reason}")
        out.append(replace(finding, reach=DEVELOPMENT, evidence=finding.evidence + (step,)))
    return out


def _built_dockerfile(folder: PurePosixPath, build: YNode) -> str:
    context = build.get("context") if build.is_map else build
    name = build.get("dockerfile") if build.is_map else None
    path = folder / ((context.text() if context is not None else None) or ".") / (
        (name.text() if name is not None else None) or "Dockerfile")
    return normalize_path(str(path))


def _mounts_source_tree(node: YNode) -> bool:
    volumes = node.get("volumes")
    for item in volumes.items() if volumes is not None else []:
        if item.is_map:
            source = item.get("source")
            host = (source.text() or "") if source is not None else ""
        else:
            host = (item.text() or "").split(":", 1)[0]
        if host.rstrip("/") in (".", "..", "${PWD}", "$PWD"):
            return True
    return False


def _repository(image: str) -> str:
    ref = image.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        ref = ref[: len(ref) - len(last)] + last.split(":", 1)[0]
    return re.sub(r"^(docker\.io/)?(library/)?", "", ref)


def normalize_path(path: str) -> str:
    """`a/./b/../c` -> `a/c`: paths as compose and Dockerfiles write them, compared as the same file."""
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            parts = parts[:-1]
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
