"""The one frozen settings object. Nothing reads the environment after it is built."""
from __future__ import annotations

import os
from dataclasses import dataclass, fields

CONFIG_FILE_NAMES = ("servicelens.toml", "pyproject.toml")  # looked up at the review root, in this order
DEFAULT_MAX_FILE_BYTES = 2_000_000

DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", "node_modules", "vendor", "third_party", ".venv", "venv",
    "env", ".tox", ".nox", "__pycache__", "site-packages", "dist", "build", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", "bower_components", ".eggs",
)


def available_cpus() -> int:
    """CPUs this process may run on: more workers than that only compete for them."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class Settings:
    select: frozenset[str] = frozenset()  # empty = every concern
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()  # gitignore-style patterns, relative to the root
    severity_overrides: tuple[tuple[str, str], ...] = ()  # (concern, severity)
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    jobs: int = 0  # 0 = decide from the tree size
    use_cache: bool = True
    cache_dir: str = ""  # resolved by the loader (XDG_CACHE_HOME honoured)
    # project facts the tool cannot see in the code
    auth_middleware: tuple[str, ...] = ()  # e.g. ("gateway",): every endpoint is authenticated upstream
    trusted_hosts: tuple[str, ...] = ()
    extra_model_dirs: tuple[str, ...] = ()
    progress: bool = False
    include_tests: bool = False  # findings in test code are usually fixtures, not defects
    profile: str = "default"  # "default": what is worth a comment; "extended": every finding (analysis/profiles.py)
    config_file: str = ""  # the config file's name at the review root, for diagnostics ("" = none)

    def enabled(self, concern: str) -> bool:
        if concern in self.ignore:
            return False
        return not self.select or concern in self.select

    def any_enabled(self, concerns: frozenset[str] | set[str]) -> bool:
        return any(self.enabled(c) for c in concerns)

    def severity_for(self, concern: str) -> str | None:
        for cid, sev in self.severity_overrides:
            if cid == concern:
                return sev
        return None

    def cache_fingerprint(self) -> str:
        """What, besides file contents, changes analysis results: every setting except the
        few that only change how the work is done, so a setting added later is in the
        cache key by default (forgetting it would serve stale results)."""
        return repr(tuple((f.name, _canonical(getattr(self, f.name)))
                          for f in fields(self) if f.name not in RESULT_NEUTRAL_SETTINGS))


# `profile` only filters the finished report; per-file facts do not depend on it
RESULT_NEUTRAL_SETTINGS = frozenset({"jobs", "use_cache", "cache_dir", "progress", "profile"})


def _canonical(value: object) -> object:
    """Sets in a fixed order: their iteration order changes from process to process."""
    return sorted(value) if isinstance(value, (set, frozenset)) else value


