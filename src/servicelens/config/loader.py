"""Read `[tool.servicelens]` (pyproject.toml) or servicelens.toml, then apply overrides."""
from __future__ import annotations

import os
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from servicelens.config.settings import Settings
from servicelens.model.concerns import load_taxonomy
from servicelens.model.finding import Severity

KNOWN_KEYS = {
    "select", "ignore", "exclude", "severity", "max-file-bytes", "jobs", "cache",
    "auth-middleware", "trusted-hosts", "models", "include-tests",
}


class ConfigError(ValueError):
    """A configuration problem the user must fix; the message names file and key."""


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return str(Path(base) / "servicelens")
    from platformdirs import user_cache_dir

    return user_cache_dir("servicelens")


def find_config(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The project's config table, looked up at the review root."""
    start = root if root.is_dir() else root.parent
    for name in ("servicelens.toml", "pyproject.toml"):
        candidate = start / name
        if not candidate.is_file():
            continue
        try:
            data = tomllib.loads(candidate.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{candidate}: not valid TOML: {exc}") from exc
        table = data if name == "servicelens.toml" else data.get("tool", {}).get("servicelens")
        if table is not None:
            return candidate, table
    return None


def validate_concerns(ids: list[str] | tuple[str, ...] | set[str], where: str) -> frozenset[str]:
    """Concern ids or category names; unknown ones get a did-you-mean."""
    import difflib

    taxonomy = load_taxonomy()
    categories = {c.category.value for c in taxonomy.concerns.values()}
    result: set[str] = set()
    for raw in ids:
        item = raw.strip()
        if item in taxonomy:
            result.add(item)
        elif item in categories:
            result.update(c.id for c in taxonomy.concerns.values() if c.category.value == item)
        else:
            close = difflib.get_close_matches(item, list(taxonomy.ids()) + sorted(categories), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where}: unknown concern '{item}'{hint}")
    return frozenset(result)


def load_settings(root: Path, **overrides: Any) -> Settings:
    """Settings for reviewing `root`: file config first, then explicit overrides."""
    settings = Settings(cache_dir=default_cache_dir())
    found = find_config(root)
    if found is not None:
        settings = _apply_table(settings, *found)
    clean = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **clean)


def _apply_table(settings: Settings, path: Path, table: dict[str, Any]) -> Settings:
    unknown = set(table) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{path}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"known: {', '.join(sorted(KNOWN_KEYS))}")
    changes: dict[str, Any] = {}
    if "select" in table:
        changes["select"] = validate_concerns(table["select"], f"{path} select")
    if "ignore" in table:
        changes["ignore"] = validate_concerns(table["ignore"], f"{path} ignore")
    if "exclude" in table:
        changes["exclude"] = tuple(str(p) for p in table["exclude"])
    if "severity" in table:
        pairs = []
        for concern, sev in sorted(table["severity"].items()):
            validate_concerns([concern], f"{path} severity")
            if sev not in {s.value for s in Severity}:
                raise ConfigError(f"{path} severity.{concern}: '{sev}' is not critical/high/medium/low")
            pairs.append((concern, sev))
        changes["severity_overrides"] = tuple(pairs)
    if "max-file-bytes" in table:
        changes["max_file_bytes"] = int(table["max-file-bytes"])
    if "jobs" in table:
        changes["jobs"] = int(table["jobs"])
    if "cache" in table:
        changes["use_cache"] = bool(table["cache"])
    if "auth-middleware" in table:
        changes["auth_middleware"] = tuple(table["auth-middleware"])
    if "trusted-hosts" in table:
        changes["trusted_hosts"] = tuple(table["trusted-hosts"])
    if "include-tests" in table:
        changes["include_tests"] = bool(table["include-tests"])
    if "models" in table:
        changes["extra_model_dirs"] = tuple(str((path.parent / m).resolve()) for m in table["models"])
    return replace(settings, **changes)
