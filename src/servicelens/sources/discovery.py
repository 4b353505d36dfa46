"""Walk the review root: honour .gitignore and excludes, classify files, report what was skipped.

The tree is untrusted. Entries are classified with lstat, never by following them:
symlinked directories are not entered (that is how loops are avoided), symlinked files
are read only when they resolve to a regular file inside the root, and FIFOs, sockets and
devices are reported, never opened. Names that are not valid UTF-8 keep their real path
for opening and get an escaped, displayable `rel` for everything downstream.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from servicelens.config.settings import CONFIG_FILE_NAMES, DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES, Settings
from servicelens.model.report import Diagnostic
from servicelens.sources.ignore import BudgetExhausted, IgnoreRules, MatchBudget, compile_patterns
from servicelens.sources.languages import kind_of_path, sniff_document
from servicelens.sources.safe_read import RefusedFile, file_type, read_capped, read_whole

IGNORE_FILE = ".gitignore"
IGNORE_FILE_MAX_BYTES = 1_000_000
SNIFF_BYTES = 8192
SNIFF_SIZE_FACTOR = 8  # real API contracts run to several MB
# ignore matching, in units of about a microsecond: ~20x what 300 patterns cost on 10,000 paths
IGNORE_MATCH_BUDGET = 30_000_000


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    path: Path  # absolute; for a symlink, its resolved target inside the root
    rel: str  # relative to the root, forward slashes, undecodable bytes escaped (displayable)
    kind: str  # python | javascript | ... | dockerfile | compose | sniff | manifest | graphql
    size: int
    cap: int = DEFAULT_MAX_FILE_BYTES  # read at most this many bytes (the file may grow after discovery)


@dataclass(frozen=True, slots=True)
class Discovery:
    root: Path
    files: tuple[DiscoveredFile, ...]
    diagnostics: tuple[Diagnostic, ...]


def displayable(name: str) -> str:
    """`name` as valid UTF-8 text: bytes os.walk could not decode are shown as `\\xff`."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(root: Path, settings: Settings) -> Discovery:
    """Every reviewable file under `root` (or `root` itself when it is a file), sorted."""
    root = root.resolve()
    if not root.is_dir():
        return _discover_single(root, settings)
    files: list[DiscoveredFile] = []
    diagnostics: list[Diagnostic] = _config_file_diagnostics(root)
    user_rules = _exclude_rules(settings, diagnostics)
    rules_by_dir: dict[str, IgnoreRules] = {}
    budget = MatchBudget(IGNORE_MATCH_BUDGET)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        here = Path(dirpath)
        rel_dir = "" if here == root else here.relative_to(root).as_posix()
        rules_by_dir[rel_dir] = _gitignore_rules(here, rel_dir, diagnostics)
        kept: list[str] = []
        for name in sorted(dirnames):
            rel = _join(rel_dir, name)
            full = here / name
            if (name in DEFAULT_EXCLUDES and not _source_env_dir(name, full)) or name.endswith(".egg-info"):
                continue
            if _ignored(rel, True, rules_by_dir, user_rules, budget, diagnostics):
                continue
            _note_bad_name(name, rel, diagnostics)
            if full.is_symlink():
                diagnostics.append(_symlink_diagnostic(full, displayable(rel), root))
                continue
            if not os.access(full, os.R_OK | os.X_OK):
                diagnostics.append(Diagnostic(displayable(rel), "unreadable", "directory cannot be read (permissions)"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = _join(rel_dir, name)
            kind = kind_of_path(rel)
            if kind is None or _ignored(rel, False, rules_by_dir, user_rules, budget, diagnostics):
                continue
            _note_bad_name(name, rel, diagnostics)
            found = _examine_file(here / name, displayable(rel), kind, root, settings, diagnostics)
            if found is not None:
                files.append(found)
    files.sort(key=lambda f: f.rel)
    diagnostics.sort(key=lambda d: (d.path, d.kind, d.line))
    return Discovery(root, tuple(files), tuple(diagnostics))


# markers every virtualenv tool leaves: `python -m venv` and virtualenv write pyvenv.cfg, older
# ones an activate script
_VENV_MARKERS = ("pyvenv.cfg", "bin/activate", "Scripts/activate")


def _source_env_dir(name: str, full: Path) -> bool:
    """A directory named `env` that is not a virtualenv: per-environment configuration of the
    project (`config/env/production.js`), reviewed like any source."""
    return name == "env" and not any((full / marker).exists() for marker in _VENV_MARKERS)


def _discover_single(path: Path, settings: Settings) -> Discovery:
    """`servicelens review FILE`: the same checks as for a file met in a walk."""
    diagnostics: list[Diagnostic] = []
    rel = displayable(path.name)
    _note_bad_name(path.name, path.name, diagnostics)
    kind = kind_of_path(path.name) or "unknown"
    found = _examine_file(path, rel, kind, path.parent, settings, diagnostics)
    return Discovery(path.parent, (found,) if found else (), tuple(diagnostics))


def _examine_file(full: Path, rel: str, kind: str, root: Path, settings: Settings,
                  diagnostics: list[Diagnostic]) -> DiscoveredFile | None:
    """lstat first, follow a symlink only to a regular file inside the root, then size it."""
    try:
        info = os.lstat(full)
        target = full
        if stat.S_ISLNK(info.st_mode):
            target = full.resolve(strict=True)
            if not target.is_relative_to(root):
                diagnostics.append(Diagnostic(rel, "symlink", "symlink points outside the review root; not followed"))
                return None
            info = os.lstat(target)
    except (OSError, RuntimeError) as exc:
        looping = isinstance(exc, RuntimeError) or "loop" in str(exc).lower()
        reason = "symlink is broken or loops" if looping or os.path.islink(full) else \
            f"cannot be read: {getattr(exc, 'strerror', None) or exc.__class__.__name__}"
        diagnostics.append(Diagnostic(rel, "symlink-loop" if looping else "unreadable", f"{reason}; not reviewed"))
        return None
    if not stat.S_ISREG(info.st_mode):
        diagnostics.append(Diagnostic(rel, "not-a-regular-file",
                                      f"is a {file_type(info.st_mode)}, not a regular file; not read"))
        return None
    return _sized(target, rel, kind, info.st_size, settings, diagnostics)


def _sized(target: Path, rel: str, kind: str, size: int, settings: Settings,
           diagnostics: list[Diagnostic]) -> DiscoveredFile | None:
    limit = settings.max_file_bytes
    if size > limit:
        if kind == "sniff" and not _looks_like_document(target):
            return None
        if kind == "sniff" and size <= limit * SNIFF_SIZE_FACTOR:
            return DiscoveredFile(target, rel, kind, size, limit * SNIFF_SIZE_FACTOR)
        diagnostics.append(Diagnostic(rel, "too-large", too_large_message(size, limit)))
        return None
    if not os.access(target, os.R_OK):
        diagnostics.append(Diagnostic(rel, "unreadable", "file cannot be read (permissions); not reviewed"))
        return None
    cap = limit * SNIFF_SIZE_FACTOR if kind == "sniff" else limit
    return DiscoveredFile(target, rel, kind, size, cap)


def too_large_message(size: int, limit: int) -> str:
    return (f"{size / 1e6:.1f} MB is over the {limit / 1e6:.1f} MB limit "
            "(max-file-bytes); not reviewed")


def _note_bad_name(name: str, rel: str, diagnostics: list[Diagnostic]) -> None:
    if displayable(name) != name:
        diagnostics.append(Diagnostic(displayable(rel), "not-utf8", "file name is not valid UTF-8; shown escaped"))


def _config_file_diagnostics(root: Path) -> list[Diagnostic]:
    """The loader reads only plain regular config files; say so when one is not."""
    out = []
    for name in CONFIG_FILE_NAMES:
        candidate = root / name
        try:
            mode = os.lstat(candidate).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            out.append(Diagnostic(name, "config", f"is a {file_type(mode)}, not a regular file; "
                                                  "not read as configuration"))
    return out


def _symlink_diagnostic(full: Path, rel: str, root: Path) -> Diagnostic:
    try:
        target = full.resolve(strict=True)
    except (OSError, RuntimeError):
        return Diagnostic(rel, "symlink-loop", "symlinked directory is broken or loops; not followed")
    if root == target or root.is_relative_to(target) or target.is_relative_to(root):
        return Diagnostic(rel, "symlink-loop", "symlinked directory points back into the tree; not followed")
    return Diagnostic(rel, "symlink", "symlinked directory not followed")


def _join(rel_dir: str, name: str) -> str:
    return f"{rel_dir}/{name}" if rel_dir else name


def _exclude_rules(settings: Settings, diagnostics: list[Diagnostic]) -> IgnoreRules:
    rules, skipped = compile_patterns(settings.exclude)
    where = settings.config_file or "settings"
    for bad in skipped:
        diagnostics.append(Diagnostic(where, "config", f"exclude[{bad.index}] {_quoted(bad.text)}: "
                                                       f"{bad.reason}; pattern skipped"))
    return rules


def _gitignore_rules(directory: Path, rel_dir: str, diagnostics: list[Diagnostic]) -> IgnoreRules:
    """This directory's .gitignore, only when it is a plain regular file of sane size."""
    path = directory / IGNORE_FILE
    rel = displayable(_join(rel_dir, IGNORE_FILE))
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return IgnoreRules()
    if not stat.S_ISREG(mode):
        diagnostics.append(Diagnostic(rel, "ignore-file", f"is a {file_type(mode)}, not a regular file; "
                                                          "its patterns are not applied"))
        return IgnoreRules()
    try:
        data = read_whole(path, IGNORE_FILE_MAX_BYTES)
    except RefusedFile as exc:
        diagnostics.append(Diagnostic(rel, "ignore-file", f"{exc.reason}; its patterns are not applied"))
        return IgnoreRules()
    data = data.removeprefix(b"\xef\xbb\xbf")
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    rules, skipped = compile_patterns(lines)
    for bad in skipped:
        diagnostics.append(Diagnostic(rel, "ignore-file", f"line {bad.index + 1} {_quoted(bad.text)}: "
                                                          f"{bad.reason}; pattern skipped", bad.index + 1))
    return rules


def _quoted(text: str) -> str:
    shown = displayable(text)
    return repr(shown if len(shown) <= 80 else shown[:77] + "...")


def _ignored(rel: str, is_dir: bool, rules_by_dir: dict[str, IgnoreRules], user_rules: IgnoreRules,
             budget: MatchBudget, diagnostics: list[Diagnostic]) -> bool:
    """Excludes from the config win; then .gitignore files, the deepest one speaking last.

    Once the patterns have cost their whole budget, nothing more is ignored: the review
    then reads more files (each still size-limited) rather than never finishing."""
    if budget.remaining < 0:
        return False
    try:
        return _decide(rel, is_dir, rules_by_dir, user_rules, budget)
    except BudgetExhausted:
        diagnostics.append(Diagnostic(".", "ignore-file", "the .gitignore and exclude patterns cost too much to "
                                                          "evaluate; from here on no path is ignored"))
        return False


def _decide(rel: str, is_dir: bool, rules_by_dir: dict[str, IgnoreRules], user_rules: IgnoreRules,
            budget: MatchBudget) -> bool:
    if user_rules.decision(rel, is_dir, budget):
        return True
    parts = PurePosixPath(rel).parts
    ignored = False
    for depth in range(len(parts)):
        rules = rules_by_dir.get("/".join(parts[:depth]))
        if rules is None or not rules.rules:
            continue
        decision = rules.decision("/".join(parts[depth:]), is_dir, budget)
        if decision is not None:
            ignored = decision
    return ignored


def _looks_like_document(full: Path) -> bool:
    """Is an oversized YAML/JSON file an infrastructure or contract document worth a diagnostic?"""
    try:
        head = read_capped(full, SNIFF_BYTES).data.decode("utf-8", errors="replace")
    except RefusedFile:
        return False
    return sniff_document(head, full.suffix.lower()) is not None
