"""Dockerfile review: root user, floating bases and packages, baked-in secrets, HEALTHCHECK.

Each check is a pure function `(DockerContext) -> Iterator[Finding]`. Only the final
stage decides who the container runs as and whether it has a HEALTHCHECK, because
earlier stages are thrown away; bases and secrets matter in every stage (a secret in a
builder stage still sits in the build cache and in `docker history` of that stage).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from servicelens.fixcode.manifests import after_line, probe_command
from servicelens.infra.dockerfile import Dockerfile, Instruction, Stage, env_pairs
from servicelens.infra.findings import dockerfile_fix, infra_finding, step
from servicelens.infra.images import floating_reason, parse_image
from servicelens.infra.policy import Policy
from servicelens.model.finding import Confidence, Finding, Severity

_ROOT_USERS = {"root", "0", "root:root", "0:0", "root:0", "0:root"}


@dataclass(frozen=True, slots=True)
class DockerContext:
    rel: str
    lines: list[str]
    dockerfile: Dockerfile
    policy: Policy
    orchestrated: bool  # k8s manifests present: Docker HEALTHCHECK is ignored there
    runtime_non_root: bool = False  # every k8s workload running this image forces a non-root uid
    # names of images the project builds itself (a Dockerfile's directory: `docker/base` -> `base`):
    # `FROM org/base:latest` is the same pipeline's output, not a third party's moving tag
    own_images: frozenset[str] = frozenset()


def check_dockerfile(ctx: DockerContext) -> Iterator[Finding]:
    yield from _root_user(ctx)
    yield from _floating_bases(ctx)
    yield from _unpinned_packages(ctx)
    yield from _secrets(ctx)
    yield from _healthcheck(ctx)


def effective_user(df: Dockerfile, stage: Stage, depth: int = 0) -> tuple[str | None, Instruction | None]:
    """The USER in force at the end of `stage`, following `FROM <earlier stage>` chains."""
    user = stage.last("USER")
    if user is not None:
        return (user.operands[0] if user.operands else ""), user
    parent = df.stage_named(stage.base) if depth < 20 else None
    if parent is not None and parent.index < stage.index:
        return effective_user(df, parent, depth + 1)
    return None, None


def _root_user(ctx: DockerContext) -> Iterator[Finding]:
    stage = ctx.dockerfile.final
    if stage is None or ctx.policy.is_dev_only(ctx.rel) or ctx.runtime_non_root:
        return
    user, ins = effective_user(ctx.dockerfile, stage)
    base = _root_base(ctx.dockerfile, stage)
    if user is None:
        if ctx.policy.is_nonroot_base(base) or parse_image(base).has_variable:
            return
        if ctx.policy.drops_root_in_entrypoint(base) and not _sets_entrypoint(ctx.dockerfile, stage):
            return  # the base image's own entrypoint runs the server as its service user
        yield infra_finding(
            "container-runs-as-root", ctx.rel, ctx.lines, stage.from_line,
            "Container runs as root: the final stage sets no USER",
            "Without USER the process runs as uid 0. Anyone who gets code execution in the "
            "app (a deserialisation bug, a vulnerable dependency) is root inside the container "
            "and one kernel or runtime bug away from root on the node.",
            rule="dockerfile-no-user", key=f"{stage.index}",
            confidence=Confidence.MEDIUM if not stage.alias and len(ctx.dockerfile.stages) == 1 else Confidence.HIGH,
            fix=dockerfile_fix("Create an unprivileged user and switch to it before the entrypoint.",
                               after_line(strip_dockerfile_comment(ctx.lines[stage.from_line - 1]), _user_fix(stage))
                               if 0 < stage.from_line <= len(ctx.lines) else _user_fix(stage)),
        )
    elif user.lower() in _ROOT_USERS and ins is not None and ins in stage.instructions:
        yield infra_finding(
            "container-runs-as-root", ctx.rel, ctx.lines, ins.line,
            "Container runs as root: the last USER is root",
            "The final USER decides who runs the process. Switching back to root after the "
            "privileged build steps leaves the service running as uid 0.",
            rule="dockerfile-user-root", key=f"{stage.index}",
            fix=dockerfile_fix("Do the root-only steps first, then drop privileges for runtime.",
                               "USER 10001:10001"),
        )


def strip_dockerfile_comment(line: str) -> str:
    return line.split(" #", 1)[0].strip()


def _root_base(df: Dockerfile, stage: Stage) -> str:
    parent = df.stage_named(stage.base)
    seen = 0
    while parent is not None and parent.index < stage.index and seen < 20:
        stage, parent, seen = parent, df.stage_named(parent.base), seen + 1
    return stage.base


def _sets_entrypoint(df: Dockerfile, stage: Stage) -> bool:
    """Does the final stage, or an earlier stage it builds FROM, replace the base's ENTRYPOINT?"""
    current: Stage | None = stage
    for _ in range(20):
        if current is None:
            return False
        if current.last("ENTRYPOINT") is not None:
            return True
        parent = df.stage_named(current.base)
        current = parent if parent is not None and parent.index < current.index else None
    return False


def _user_fix(stage: Stage) -> str:
    base = stage.base.lower()
    if "alpine" in base:
        create = "RUN addgroup -S app && adduser -S -G app -u 10001 app"
    elif "distroless" in base:
        return "USER nonroot:nonroot"
    else:
        create = "RUN groupadd --system app && useradd --system --gid app --uid 10001 app"
    entry = stage.last("ENTRYPOINT") or stage.last("CMD")
    tail = f"\n{entry.keyword} {entry.args}" if entry else ""
    return f"{create}\nUSER app{tail}"


def _floating_bases(ctx: DockerContext) -> Iterator[Finding]:
    aliases = {s.alias.lower() for s in ctx.dockerfile.stages if s.alias}
    for stage in ctx.dockerfile.stages:
        if stage.base.lower() in aliases:
            continue
        image = parse_image(stage.base)
        reason = floating_reason(image, ctx.policy)
        if reason is None or image.repository.rsplit("/", 1)[-1].lower() in ctx.own_images:
            continue
        yield infra_finding(
            "unpinned-dependency", ctx.rel, ctx.lines, stage.from_line,
            f"Base image `{image.text}` is not pinned ({reason})",
            "The same Dockerfile builds a different image next week: a new major version of "
            "the runtime or OS arrives unreviewed, builds stop being reproducible, and a "
            "rollback rebuild may not give you the old image back.",
            rule="dockerfile-floating-base", key=image.repository,
            fix=dockerfile_fix("Pin a version tag (better: the digest you tested).",
                               f"FROM {image.repository}:<version>@sha256:<digest>"
                               + (f" AS {stage.alias}" if stage.alias else "")),
        )


_PIP_VALUE_OPTIONS = {"-r", "--requirement", "-c", "--constraint", "-i", "--index-url", "--extra-index-url",
                      "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--platform",
                      "--python-version", "--only-binary", "--no-binary", "--trusted-host", "--cache-dir",
                      "--progress-bar", "--src", "-e", "--editable", "--implementation", "--abi", "--python",
                      # uv pip and pip's dependency groups
                      "--requirements", "--group", "--only-group", "--extra", "--index", "--default-index",
                      "--index-strategy", "--python-preference", "--python-platform", "--resolution",
                      "--prerelease", "--keyring-provider", "--link-mode", "--exclude-newer", "--config-settings",
                      "-C", "--upgrade-package", "-P", "--report", "--log"}
_SHELL_BREAK = {"&&", "||", ";", "|", "&"}


def _unpinned_packages(ctx: DockerContext) -> Iterator[Finding]:
    for stage in ctx.dockerfile.stages:
        for ins in stage.all("RUN"):
            bare = sorted(set(_bare_installs(ins)) - ctx.policy.bootstrap_packages)
            if not bare:
                continue
            yield infra_finding(
                "unpinned-dependency", ctx.rel, ctx.lines, ins.line,
                f"Packages installed without a version: {', '.join(bare[:6])}"
                + (" ..." if len(bare) > 6 else ""),
                "A bare package name installs whatever is newest on the day of the build, so two "
                "builds of one commit can ship different code, and a compromised or broken "
                "release reaches production without a code change.",
                rule="dockerfile-unpinned-package", key=",".join(bare), end_line=ins.end_line,
                confidence=Confidence.HIGH, severity=Severity.LOW,
                fix=dockerfile_fix("Pin exact versions (or install from a locked requirements file).",
                                   _pin_fix(ins, bare)),
            )


def _bare_installs(ins: Instruction) -> Iterator[str]:
    """Package names given to pip/npm -g/gem/go install without any version."""
    words = [w for w in re.split(r"\s+", " ".join([ins.args, *ins.heredocs])) if w]
    i = 0
    while i < len(words):
        tool = _installer(words, i)
        if tool is None:
            i += 1
            continue
        i += tool[1]
        while i < len(words) and words[i] not in _SHELL_BREAK:
            raw = words[i]
            ends = raw.endswith(";")  # `pip install x; python manage.py ...`: the command ends here
            word = raw.rstrip(";").strip("'\"")
            if word in _PIP_VALUE_OPTIONS:
                value_ends = i + 1 < len(words) and words[i + 1].endswith(";")
                i += 2
                if ends or value_ends:
                    break
                continue
            if word and not word.startswith("-") and _is_bare(tool[0], word):
                yield word
            i += 1
            if ends:
                break


def _installer(words: list[str], i: int) -> tuple[str, int] | None:
    pair = " ".join(words[i:i + 2])
    triple = " ".join(words[i:i + 3])
    for prefix, kind in (("python -m pip install", "pip"), ("python3 -m pip install", "pip")):
        if triple.startswith(prefix) and " ".join(words[i:i + 4]).startswith(prefix):
            return kind, 4
    if pair in ("pip install", "pip3 install"):
        return "pip", 2
    if pair in ("npm install", "npm i") and any(w in ("-g", "--global") for w in words[i + 2:i + 6]):
        return "npm", 2
    if pair == "gem install":
        return "gem", 2
    if pair == "go install":
        return "go", 2
    return None


def _is_bare(tool: str, word: str) -> bool:
    if "$" in word or "/" in word and tool != "go" or word.startswith("."):
        return False
    if tool == "pip":
        return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?", word) is not None \
            and not word.endswith((".whl", ".zip", ".gz"))
    if tool == "npm":
        return "@" not in word.lstrip("@") and re.fullmatch(r"@?[a-z0-9][\w./-]*", word) is not None
    if tool == "go":
        return word.endswith("@latest") or ("@" not in word and "." in word.split("/")[0])
    return tool == "gem" and re.fullmatch(r"[A-Za-z0-9][\w.-]*", word) is not None


def _pin_fix(ins: Instruction, bare: list[str]) -> str:
    text = f"RUN {ins.args}"
    for name in bare:
        text = re.sub(rf"(?<![\w.=@/-]){re.escape(name)}(?![\w.=@/-])", f"{name}==<version>", text, count=1)
    return text


def _secrets(ctx: DockerContext) -> Iterator[Finding]:
    for stage in ctx.dockerfile.stages:
        for ins in [*stage.all("ENV"), *stage.all("ARG")]:
            yield from _secret_pairs(ctx, ins)
    for ins in ctx.dockerfile.global_args:
        yield from _secret_pairs(ctx, ins)


def _secret_pairs(ctx: DockerContext, ins: Instruction) -> Iterator[Finding]:
    for name, value in env_pairs(ins):
        literal = ctx.policy.looks_like_secret_value(value) or ctx.policy.credential_in_url(value)
        named = ctx.policy.is_secret_name(name)
        if not literal and not named:
            continue
        if ins.keyword == "ENV" and not literal and not value.startswith("$") and (
                ctx.policy.is_placeholder(value) or ctx.policy.is_name_placeholder(name, value)):
            continue
        if ins.keyword == "ARG" and value and ctx.policy.is_placeholder(value) and not literal:
            value = ""
        yield infra_finding(
            "secret-in-image", ctx.rel, ctx.lines, ins.line,
            f"Secret `{name}` is baked into the image via {ins.keyword}",
            _secret_why(ins.keyword, bool(value)),
            rule=f"dockerfile-secret-{ins.keyword.lower()}", key=name,
            confidence=Confidence.HIGH if value or ins.keyword == "ENV" else Confidence.MEDIUM,
            severity=Severity.HIGH if value else Severity.MEDIUM,
            fix=dockerfile_fix(
                "Pass it as a BuildKit secret for build steps, and as a runtime secret for the service.",
                f"# syntax=docker/dockerfile:1\nRUN --mount=type=secret,id={name.lower()} \\\n"
                f"    {name}=$(cat /run/secrets/{name.lower()}) <command that needs it>\n"
                f"# at runtime: inject {name} from the orchestrator's secret store, not from the image"),
        )


def _secret_why(keyword: str, has_value: bool) -> str:
    if keyword == "ENV":
        return ("ENV values are stored in the image config: anyone who can pull the image reads "
                "them with `docker inspect`, and rotating the secret means rebuilding every image.")
    if has_value:
        return ("An ARG default is committed to the repository and recorded in the image history "
                "of every build that uses it.")
    return ("Build arguments are recorded in the image history (`docker history`) when a RUN step "
            "uses them, so a token passed with --build-arg leaks to everyone who can pull the image.")


def _healthcheck(ctx: DockerContext) -> Iterator[Finding]:
    stage = ctx.dockerfile.final
    if stage is None or ctx.orchestrated or ctx.policy.is_dev_only(ctx.rel):
        return
    if stage.last("HEALTHCHECK") is not None or not stage.all("EXPOSE"):
        return
    expose = stage.all("EXPOSE")[0]
    port = (expose.operands or ["8080"])[0].split("/")[0]
    yield infra_finding(
        "missing-health-check", ctx.rel, ctx.lines, stage.from_line,
        "Service image exposes a port but defines no HEALTHCHECK",
        "Docker, Compose and ECS only know the process is alive, not that it answers: a "
        "deadlocked or still-starting server keeps receiving traffic and is never restarted.",
        rule="dockerfile-no-healthcheck", key=f"{stage.index}", severity=Severity.LOW,
        confidence=Confidence.MEDIUM,
        evidence=(step(ctx.rel, ctx.lines, stage.from_line, "final stage starts here"),
                  step(ctx.rel, ctx.lines, expose.line, "it serves on this port, with no HEALTHCHECK after")),
        fix=dockerfile_fix("Probe an endpoint that checks the app, with a start period for boot time.",
                           after_line(strip_dockerfile_comment(ctx.lines[expose.line - 1]),
                                      "HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \\\n"
                                      f"  {probe_command(_root_base(ctx.dockerfile, stage), port)}", unchanged="")),
    )
