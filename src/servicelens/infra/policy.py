"""The infrastructure policy tables (data/policy.yaml) as one frozen object.

Loaded once per process and never mutated, so analyses can share it freely. Name and
value predicates live here because they are the table's meaning, not a rule's.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from servicelens.packaged_yaml import packaged_yaml


_PLACEHOLDER_WORDS = re.compile(r"(?i)\b(?:your|replace|change|placeholder|todo|example)(?:[_-]|\b)|"
                                r"(?i:^(?:x{3,}|\*{3,}|\.{3}|dummy|fake|redacted|sample)$)")


@dataclass(frozen=True, slots=True)
class WorkloadKind:
    api: str
    kind: str
    pod_spec: tuple[str, ...]
    serving: bool
    scalable: bool

    def matches(self, api_version: str, kind: str) -> bool:
        api_ok = api_version == self.api if not self.api.endswith("/") else api_version.startswith(self.api)
        return kind == self.kind and api_ok


@dataclass(frozen=True, slots=True)
class Policy:
    secret_words: frozenset[str]
    secret_infixes: tuple[str, ...]
    not_secret_suffixes: tuple[str, ...]
    not_secret_names: frozenset[str]
    placeholder_values: frozenset[str]
    secret_value_patterns: tuple[re.Pattern[str], ...]
    credential_url_schemes: tuple[str, ...]
    floating_tags: frozenset[str]
    nonroot_base_images: tuple[str, ...]
    bootstrap_packages: frozenset[str]
    datastore_images: frozenset[str]
    datastore_ports: Mapping[int, str]
    db_credential_names: frozenset[str]
    workloads: tuple[WorkloadKind, ...]
    internal_lb_annotations: Mapping[str, tuple[str, ...]]
    root_capabilities: frozenset[str]
    default_grace_seconds: int
    web_servers: tuple[str, ...]
    request_timeout_args: tuple[str, ...]
    request_timeout_env: frozenset[str]
    ingress_timeout_annotations: tuple[str, ...]
    dev_only_paths: tuple[str, ...]
    dev_only_dockerfiles: tuple[str, ...]
    development_path_words: frozenset[str] = frozenset()
    production_path_words: frozenset[str] = frozenset()
    development_header_words: frozenset[str] = frozenset()
    development_tool_images: frozenset[str] = frozenset()
    readiness_wait_words: tuple[str, ...] = ()
    privilege_drop_tools: frozenset[str] = frozenset()
    privilege_dropping_entrypoint_images: frozenset[str] = frozenset()

    def is_secret_name(self, name: str) -> bool:
        """Does this variable name say it holds a credential (not a path or id of one)?"""
        upper = name.upper().replace("-", "_").replace(".", "_")
        if upper in self.not_secret_names or upper.endswith(self.not_secret_suffixes):
            return False
        words = set(upper.split("_"))
        if words & self.secret_words or upper.replace("_", "") in self.secret_words:
            return True
        return any(infix in upper for infix in self.secret_infixes)

    def is_placeholder(self, value: str) -> bool:
        """Empty, a reference to somewhere else (`$VAR`, `${X}`, `$(X)`, `<x>`), or a file path."""
        stripped = value.strip().strip("'\"")
        if stripped.lower() in self.placeholder_values:
            return True
        if re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|\$\([A-Za-z_][A-Za-z0-9_]*\)", stripped):
            return True
        if re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*(:?[?]).*\}", stripped):  # ${X:?required}
            return True
        if stripped.startswith(("<", "{{")) and stripped.endswith((">", "}}")):
            return True
        if _PLACEHOLDER_WORDS.search(stripped) and re.fullmatch(r"[A-Za-z0-9_.-]+", stripped):
            return True
        return stripped.startswith(("/run/secrets/", "/var/run/secrets/"))

    def is_name_placeholder(self, name: str, value: str) -> bool:
        """`GOOGLE_API_KEY_VAL`, `YOUR_API_KEY`: an upper-case identifier echoing the name."""
        stripped = value.strip().strip("'\"")
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", stripped):
            return False
        words = {w for w in name.upper().replace("-", "_").split("_") if len(w) > 2}
        return bool(words & set(stripped.split("_")))

    def looks_like_secret_value(self, value: str) -> bool:
        return any(p.search(value) for p in self.secret_value_patterns)

    def credential_in_url(self, value: str) -> bool:
        """`postgres://user:password@host` with a literal password (not `${VAR}`)."""
        match = re.match(r"^([a-z][a-z0-9+:.-]*)://([^/@\s:]+):([^/@\s]+)@", value.strip())
        if not match or match.group(1) not in self.credential_url_schemes:
            return False
        password = match.group(3)
        return not (password.startswith("$") or "{{" in password or password.startswith("<"))

    def is_nonroot_base(self, image: str) -> bool:
        ref = image if ":" in image.rsplit("/", 1)[-1] else image + ":latest"
        return any(fnmatch.fnmatchcase(ref, p) or fnmatch.fnmatchcase(image, p) for p in self.nonroot_base_images)

    def is_datastore_image(self, image: str) -> bool:
        repo = image.split("@", 1)[0]
        last = repo.rsplit("/", 1)[-1]
        if ":" in last:
            repo = repo[: len(repo) - len(last)] + last.split(":", 1)[0]
        repo = re.sub(r"^(docker\.io/)?(library/)?", "", repo)
        return repo in self.datastore_images or repo.rsplit("/", 1)[-1] in self.datastore_images

    def workload(self, api_version: str, kind: str) -> WorkloadKind | None:
        return next((w for w in self.workloads if w.matches(api_version, kind)), None)

    def drops_root_in_entrypoint(self, image: str) -> bool:
        """An official image whose own entrypoint runs the server as its service user."""
        repo = image.split("@", 1)[0]
        last = repo.rsplit("/", 1)[-1]
        if ":" in last:
            repo = repo[: len(repo) - len(last)] + last.split(":", 1)[0]
        repo = re.sub(r"^(docker\.io/)?(library/)?", "", repo.lower())
        return repo in self.privilege_dropping_entrypoint_images

    def is_dev_only(self, rel: str) -> bool:
        """CI, dev-container, test-runner and debug files: nobody runs them in production."""
        name = rel.rsplit("/", 1)[-1].lower()
        if name != "dockerfile" and any(fnmatch.fnmatchcase(name, p) for p in self.dev_only_dockerfiles):
            return True
        return any(part in f"/{rel}" for part in (f"/{p}" for p in self.dev_only_paths))


@lru_cache(maxsize=1)
def load_policy() -> Policy:
    """Read once; the result is immutable so caching it is safe."""
    text = resources.files("servicelens.infra.data").joinpath("policy.yaml").read_text("utf-8")
    raw = packaged_yaml(text)
    upper = lambda xs: tuple(str(x).upper() for x in xs)  # noqa: E731
    return Policy(
        secret_words=frozenset(upper(raw["secret_words"])),
        secret_infixes=upper(raw["secret_infixes"]),
        not_secret_suffixes=upper(raw["not_secret_suffixes"]),
        not_secret_names=frozenset(upper(raw["not_secret_names"])),
        placeholder_values=frozenset(str(v).lower() for v in raw["placeholder_values"]),
        secret_value_patterns=tuple(re.compile(p) for p in raw["secret_value_patterns"]),
        credential_url_schemes=tuple(raw["credential_url_schemes"]),
        floating_tags=frozenset(raw["floating_tags"]),
        nonroot_base_images=tuple(raw["nonroot_base_images"]),
        bootstrap_packages=frozenset(raw["bootstrap_packages"]),
        datastore_images=frozenset(raw["datastore_images"]),
        datastore_ports=MappingProxyType({int(k): v for k, v in raw["datastore_ports"].items()}),
        db_credential_names=frozenset(upper(raw["db_credential_names"])),
        workloads=tuple(WorkloadKind(w["api"], w["kind"], tuple(w["pod_spec"]), w["serving"], w["scalable"])
                        for w in raw["workloads"]),
        internal_lb_annotations=MappingProxyType({k: tuple(str(x) for x in v)
                                                  for k, v in raw["internal_lb_annotations"].items()}),
        root_capabilities=frozenset(upper(raw["root_capabilities"])),
        default_grace_seconds=int(raw["default_grace_seconds"]),
        web_servers=tuple(raw["web_servers"]),
        request_timeout_args=tuple(raw["request_timeout_args"]),
        request_timeout_env=frozenset(upper(raw["request_timeout_env"])),
        ingress_timeout_annotations=tuple(raw["ingress_timeout_annotations"]),
        dev_only_paths=tuple(raw["dev_only_paths"]),
        dev_only_dockerfiles=tuple(raw["dev_only_dockerfiles"]),
        development_path_words=frozenset(str(w).lower() for w in raw["development_path_words"]),
        production_path_words=frozenset(str(w).lower() for w in raw["production_path_words"]),
        development_header_words=frozenset(str(w).lower() for w in raw["development_header_words"]),
        development_tool_images=frozenset(raw["development_tool_images"]),
        readiness_wait_words=tuple(str(w).lower() for w in raw["readiness_wait_words"]),
        privilege_drop_tools=frozenset(str(w).lower() for w in raw["privilege_drop_tools"]),
        privilege_dropping_entrypoint_images=frozenset(str(w).lower()
                                                       for w in raw["privilege_dropping_entrypoint_images"]),
    )
