"""Walk the review root: honour .gitignore and excludes, classify files, report what was skipped.

Symlinked directories are never followed (that is how loops are avoided); symlinked
files are read when they resolve inside the root.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pathspec

from servicelens.config.settings import DEFAULT_EXCLUDES, Settings
from servicelens.model.report import Diagnostic
from servicelens.sources.languages import kind_of_path


@dataclass(frozen=True, slots=True)
class DiscoveredFile:
    path: Path  # absolute
    rel: str  # relative to the root, forward slashes
    kind: str  # python | javascript | ... | dockerfile | compose | sniff | manifest | graphql
    size: int


@dataclass(frozen=True, slots=True)
class Discovery:
    root: Path
    files: tuple[DiscoveredFile, ...]
    diagnostics: tuple[Diagnostic, ...]


def discover(root: Path, settings: Settings) -> Discovery:
    """Every reviewable file under `root` (or `root` itself when it is a file), sorted."""
    root = root.resolve()
    if root.is_file():
        kind = kind_of_path(root.name) or "unknown"
        return Discovery(root.parent, (DiscoveredFile(root, root.name, kind, root.stat().st_size),), ())
    files: list[DiscoveredFile] = []
    diagnostics: list[Diagnostic] = []
    user_spec = pathspec.GitIgnoreSpec.from_lines(settings.exclude)
    specs: dict[str, pathspec.PathSpec] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        here = Path(dirpath)
        rel_dir = "" if here == root else here.relative_to(root).as_posix()
        specs[rel_dir] = _gitignore_spec(here)
        kept: list[str] = []
        for name in sorted(dirnames):
            rel = _join(rel_dir, name)
            full = here / name
            if name in DEFAULT_EXCLUDES or name.endswith(".egg-info"):
                continue
            if full.is_symlink():
                diagnostics.append(_symlink_diagnostic(full, rel, root))
                continue
            if _ignored(rel + "/", specs, user_spec):
                continue
            if not os.access(full, os.R_OK | os.X_OK):
                diagnostics.append(Diagnostic(rel, "unreadable", "directory cannot be read (permissions)"))
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            rel = _join(rel_dir, name)
            kind = kind_of_path(rel)
            if kind is None or _ignored(rel, specs, user_spec):
                continue
            found = _stat_file(here / name, rel, kind, root, settings, diagnostics)
            if found is not None:
                files.append(found)
    files.sort(key=lambda f: f.rel)
    diagnostics.sort(key=lambda d: (d.path, d.kind))
    return Discovery(root, tuple(files), tuple(diagnostics))


def _stat_file(full: Path, rel: str, kind: str, root: Path, settings: Settings,
               diagnostics: list[Diagnostic]) -> DiscoveredFile | None:
    try:
        if full.is_symlink():
            target = full.resolve(strict=True)
            if not target.is_relative_to(root):
                diagnostics.append(Diagnostic(rel, "symlink", f"symlink points outside the review root ({target}); not followed"))
                return None
        size = full.stat().st_size
    except (OSError, RuntimeError) as exc:
        kind_name = "symlink-loop" if isinstance(exc, RuntimeError) or "loop" in str(exc).lower() else "unreadable"
        diagnostics.append(Diagnostic(rel, kind_name, f"cannot be read: {exc.__class__.__name__}: {exc}"))
        return None
    if size > settings.max_file_bytes:
        if kind == "sniff" and not _looks_like_document(full):
            return None
        if kind == "sniff" and size <= settings.max_file_bytes * 8:
            return DiscoveredFile(full, rel, kind, size)  # real API contracts run to several MB
        diagnostics.append(Diagnostic(rel, "too-large",
                                      f"{size / 1e6:.1f} MB is over the {settings.max_file_bytes / 1e6:.1f} MB limit "
                                      "(max-file-bytes); not reviewed"))
        return None
    if not os.access(full, os.R_OK):
        diagnostics.append(Diagnostic(rel, "unreadable", "file cannot be read (permissions); not reviewed"))
        return None
    return DiscoveredFile(full, rel, kind, size)


def _symlink_diagnostic(full: Path, rel: str, root: Path) -> Diagnostic:
    try:
        target = full.resolve(strict=True)
    except (OSError, RuntimeError):
        return Diagnostic(rel, "symlink-loop", "symlinked directory is broken or loops; not followed")
    if root == target or root.is_relative_to(target) or target.is_relative_to(root):
        return Diagnostic(rel, "symlink-loop", f"symlinked directory points back into the tree ({target}); not followed")
    return Diagnostic(rel, "symlink", f"symlinked directory ({target}) not followed")


def _join(rel_dir: str, name: str) -> str:
    return f"{rel_dir}/{name}" if rel_dir else name


def _gitignore_spec(directory: Path) -> pathspec.PathSpec:
    ignore = directory / ".gitignore"
    try:
        lines = ignore.read_text("utf-8", errors="replace").splitlines() if ignore.is_file() else []
    except OSError:
        lines = []
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(rel: str, specs: dict[str, pathspec.PathSpec], user_spec: pathspec.PathSpec) -> bool:
    if user_spec.match_file(rel):
        return True
    parts = PurePosixPath(rel.rstrip("/")).parts
    for depth in range(len(parts)):
        base = "/".join(parts[:depth])
        spec = specs.get(base)
        if spec is None or not spec.patterns:
            continue
        sub = "/".join(parts[depth:]) + ("/" if rel.endswith("/") else "")
        if spec.match_file(sub):
            return True
    return False


def _looks_like_document(full: Path) -> bool:
    """Is an oversized YAML/JSON file an infrastructure or contract document worth a diagnostic?"""
    from servicelens.sources.languages import sniff_document

    try:
        with full.open("rb") as handle:
            head = handle.read(8192).decode("utf-8", errors="replace")
    except OSError:
        return False
    return sniff_document(head, full.suffix.lower()) is not None
