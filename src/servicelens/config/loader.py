"""Read `[tool.servicelens]` (pyproject.toml) or servicelens.toml, then apply overrides.

The config lives in the reviewed repository, so it is input like any other: it is read
only when it is a plain regular file at the review root (never through a symlink), every
value is checked against one schema (SCHEMA) before use, and paths in it must stay inside
the reviewed tree.
"""
from __future__ import annotations

import datetime
import json
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from servicelens.config.settings import CONFIG_FILE_NAMES, Settings, available_cpus
from servicelens.model.concerns import load_taxonomy
from servicelens.model.finding import Severity
from servicelens.sources.safe_read import RefusedFile, is_plain_file, read_whole

CONFIG_MAX_BYTES = 1_000_000
MAX_FILE_BYTES_LIMIT = 100_000_000  # beyond this a "source file" is not one a reviewer reads
MAX_JOBS = 1024


class ConfigError(ValueError):
    """A configuration problem the user must fix; the message names file and key."""


@dataclass(frozen=True, slots=True)
class Expected:
    """What one config key must hold: a test and the words that describe it in an error."""

    description: str
    accepts: Callable[[Any], bool]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int_between(low: int, high: int) -> Expected:
    return Expected(f"an integer between {low} and {high}", lambda v: _is_int(v) and low <= v <= high)


_STRINGS = Expected("a list of strings", lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v))
_BOOLEAN = Expected("a boolean (true or false)", lambda v: isinstance(v, bool))
_LEVELS = tuple(s.value for s in Severity)

SCHEMA: dict[str, Expected] = {
    "select": _STRINGS,
    "ignore": _STRINGS,
    "exclude": _STRINGS,
    "severity": Expected(f"a table of concern = level ({'/'.join(_LEVELS)})",
                         lambda v: isinstance(v, dict) and all(isinstance(s, str) and s in _LEVELS for s in v.values())),
    "max-file-bytes": _int_between(1, MAX_FILE_BYTES_LIMIT),
    "jobs": Expected(f"an integer >= 1 (at most {MAX_JOBS})", lambda v: _is_int(v) and 1 <= v <= MAX_JOBS),
    "cache": _BOOLEAN,
    "include-tests": _BOOLEAN,
    "profile": Expected('"default" or "extended"', lambda v: v in ("default", "extended")),
    "auth-middleware": _STRINGS,
    "trusted-hosts": _STRINGS,
    "models": _STRINGS,
}
KNOWN_KEYS = frozenset(SCHEMA)


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return str(Path(base) / "servicelens")
    from platformdirs import user_cache_dir

    return user_cache_dir("servicelens")


def find_config(root: Path) -> tuple[Path, dict[str, Any]] | None:
    """The project's config table, looked up at the review root (plain regular files only)."""
    start = root if root.is_dir() else root.parent
    for name in CONFIG_FILE_NAMES:
        candidate = start / name
        if not is_plain_file(candidate):
            continue  # absent, a symlink or a special file: discovery reports the latter two
        data = _read_toml(candidate)
        if name == "servicelens.toml":
            return candidate, data
        tool = data.get("tool")
        table = tool.get("servicelens") if isinstance(tool, dict) else None
        if table is None:
            continue
        if not isinstance(table, dict):
            raise ConfigError(f"{name} [tool.servicelens]: expected a table, got {describe(table)}")
        return candidate, table
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = read_whole(path, CONFIG_MAX_BYTES)
    except RefusedFile as exc:
        raise ConfigError(f"{path.name}: {exc.reason}") from exc
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid UTF-8 (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: not valid TOML: {exc}") from exc


def describe(value: Any) -> str:
    """A found value in words, on one line and short, for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if _is_int(value):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {quote(value)}"
    if isinstance(value, list):
        for index, item in enumerate(value):
            if not isinstance(item, str):
                return f"a list whose item {index} is {describe(item)}"
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (datetime.date, datetime.time)):
        return f"the date/time {value.isoformat()}"
    return f"a {type(value).__name__}"


def quote(text: str, limit: int = 60) -> str:
    """Double-quoted, escaped to one ASCII line, shortened."""
    shown = text if len(text) <= limit else text[: limit - 3] + "..."
    return json.dumps(shown, ensure_ascii=True)


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
            raise ConfigError(f"{where}: unknown concern {quote(item) if _odd(item) else repr(item)}{hint}")
    return frozenset(result)


def _odd(text: str) -> bool:
    return not text.isprintable() or len(text) > 60


def load_settings(root: Path, **overrides: Any) -> Settings:
    """Settings for reviewing `root`: file config first, then explicit overrides.

    Workers are capped at the CPUs this process may use: more only compete for them."""
    settings = Settings(cache_dir=default_cache_dir())
    found = find_config(root)
    if found is not None:
        settings = _apply_table(settings, *found)
    clean = {k: v for k, v in overrides.items() if v is not None}
    settings = replace(settings, **clean)
    if settings.jobs > available_cpus():
        settings = replace(settings, jobs=available_cpus())
    return settings


def _where(path: Path) -> str:
    return path.name if path.name == "servicelens.toml" else f"{path.name} [tool.servicelens]"


def check_table(table: dict[str, Any], where: str) -> None:
    """Every key known and every value of its expected type, or a ConfigError naming both."""
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(quote(k) for k in unknown)}; "
                          f"known: {', '.join(sorted(KNOWN_KEYS))}")
    for key, value in table.items():
        expected = SCHEMA[key]
        if not expected.accepts(value):
            raise ConfigError(f"{where} {key}: expected {expected.description}, got {_found(key, value)}")


def _found(key: str, value: Any) -> str:
    if key == "severity" and isinstance(value, dict):
        for concern, level in value.items():
            if not (isinstance(level, str) and level in _LEVELS):
                return f"{describe(level)} for {quote(concern)}"
    return describe(value)


def _apply_table(settings: Settings, path: Path, table: dict[str, Any]) -> Settings:
    where = _where(path)
    check_table(table, where)
    changes: dict[str, Any] = {"config_file": path.name}
    if "select" in table:
        changes["select"] = validate_concerns(table["select"], f"{where} select")
    if "ignore" in table:
        changes["ignore"] = validate_concerns(table["ignore"], f"{where} ignore")
    if "exclude" in table:
        changes["exclude"] = tuple(table["exclude"])
    if "severity" in table:
        pairs = []
        for concern, sev in sorted(table["severity"].items()):
            validate_concerns([concern], f"{where} severity")
            pairs.append((concern, sev))
        changes["severity_overrides"] = tuple(pairs)
    if "max-file-bytes" in table:
        changes["max_file_bytes"] = table["max-file-bytes"]
    if "jobs" in table:
        changes["jobs"] = table["jobs"]
    if "cache" in table:
        changes["use_cache"] = table["cache"]
    if "auth-middleware" in table:
        changes["auth_middleware"] = tuple(table["auth-middleware"])
    if "trusted-hosts" in table:
        changes["trusted_hosts"] = tuple(table["trusted-hosts"])
    if "include-tests" in table:
        changes["include_tests"] = table["include-tests"]
    if "profile" in table:
        changes["profile"] = table["profile"]
    if "models" in table:
        changes["extra_model_dirs"] = _model_dirs(table["models"], path.parent, where)
    return replace(settings, **changes)


def _model_dirs(entries: list[str], root: Path, where: str) -> tuple[str, ...]:
    """Model directories named by the reviewed repository must be directories inside it."""
    real_root = root.resolve()
    dirs = []
    for index, entry in enumerate(entries):
        try:
            target = (root / entry).resolve()
        except (OSError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"{where} models[{index}]: {quote(entry, 200)} cannot be resolved "
                              f"({exc.__class__.__name__})") from exc
        if not target.is_relative_to(real_root):
            raise ConfigError(f"{where} models[{index}]: {quote(entry, 200)} is outside the reviewed tree; "
                              "model directories must be inside it")
        if not target.is_dir():
            raise ConfigError(f"{where} models[{index}]: {quote(entry, 200)} is not a directory")
        dirs.append(str(target))
    return tuple(dirs)
