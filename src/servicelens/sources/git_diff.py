"""`--diff BASE`: which lines of the review root changed since the merge-base of BASE and HEAD.

Runs `git` (never a shell) and reads `git diff --unified=0 <merge-base>`: the working tree
against the merge-base, so committed, staged and unstaged edits all count, and untracked
files (not ignored) count as wholly added. Paths come back relative to the review root,
which may be a subdirectory of the repository.

Moved code is not a change: an added line whose text (whitespace aside) was removed
elsewhere in the same diff, in any file, is a move, so moving a handler to the end of a
file or into another module reports nothing. A deletion that is not a move (a removed
`@login_required`, a removed `timeout=` line) touches the lines on either side of it.
"""
from __future__ import annotations

import codecs
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from servicelens.model.scope import ChangedLines

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_DIFF_CONFIG = ("-c", "core.quotepath=off", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false",
                "-c", "diff.relative=false", "-c", "color.ui=never")
_TIMEOUT_S = 120


class GitError(ValueError):
    """The revision cannot be compared against: a usage error, reported in one line."""


@dataclass(frozen=True, slots=True)
class DiffBase:
    toplevel: Path
    merge_base: str


@dataclass(slots=True)
class _Hunk:
    path: str  # relative to the repository's top level
    start: int  # first added line, or the line after which lines were removed
    added: list[bytes] = field(default_factory=list)
    removed: list[bytes] = field(default_factory=list)


def changed_lines(root: Path, base: str) -> tuple[ChangedLines, DiffBase]:
    """The lines under `root` (a directory) added or changed since merge-base(base, HEAD)."""
    found = resolve_base(root, base)
    hunks = parse_diff(_git(found.toplevel, *_DIFF_CONFIG, "diff", "--no-color", "--no-ext-diff", "--no-textconv",
                            "--unified=0", "--find-renames", "--src-prefix=a/", "--dst-prefix=b/",
                            found.merge_base, "--"))
    untracked = _git(found.toplevel, "ls-files", "--others", "--exclude-standard", "-z").split(b"\0")
    changes = changes_from_hunks(hunks, [_decode(p) for p in untracked if p])
    return _relative_to(changes, _root_prefix(root, found.toplevel)), found


def resolve_base(root: Path, base: str) -> DiffBase:
    """The repository holding `root` and the merge-base commit, or a one-line GitError."""
    if not base or base.startswith("-"):
        raise GitError(f"--diff: not a revision: {base!r}")
    toplevel = Path(_git(root, "rev-parse", "--show-toplevel", what=f"{root} is not in a git repository")
                    .decode("utf-8", "surrogateescape").strip())
    commit = _git(toplevel, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}",
                  what=f"unknown revision {base!r}").decode().strip()
    _git(toplevel, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", what="the repository has no commits yet")
    merge_base = _git(toplevel, "merge-base", commit, "HEAD",
                      what=f"{base} and HEAD have no common ancestor").decode().strip()
    return DiffBase(toplevel.resolve(), merge_base)


def parse_diff(text: bytes) -> list[_Hunk]:
    """Hunks of a `--unified=0` patch, with the added and removed lines' text."""
    hunks: list[_Hunk] = []
    path: str | None = None
    current: _Hunk | None = None
    for line in text.split(b"\n"):
        if line.startswith(b"diff --git "):
            path, current = None, None
        elif line.startswith(b"+++ ") and current is None:
            path = _diff_path(line[4:])
        elif line.startswith(b"@@ "):
            match = _HUNK.match(line)
            current = None
            if match and path is not None:
                current = _Hunk(path, int(match.group(1)))
                hunks.append(current)
        elif current is not None and line.startswith(b"+"):
            current.added.append(line[1:])
        elif current is not None and line.startswith(b"-"):
            current.removed.append(line[1:])
    return hunks


def changes_from_hunks(hunks: list[_Hunk], untracked: list[str]) -> ChangedLines:
    """Added lines that are not moves, plus the neighbours of deletions that are not moves."""
    removed_pool = Counter(k for h in hunks for k in map(_normal, h.removed) if k)
    added_pool = Counter(k for h in hunks for k in map(_normal, h.added) if k)
    lines: dict[str, set[int]] = {}
    for hunk in sorted(hunks, key=lambda h: (h.path, h.start)):
        touched = lines.setdefault(hunk.path, set())
        for offset, text in enumerate(hunk.added):
            key = _normal(text)
            if not key:
                continue  # a blank line holds no finding
            if removed_pool[key] > 0:
                removed_pool[key] -= 1  # moved here from elsewhere in the change
                continue
            touched.add(hunk.start + offset)
        if not hunk.added and _removes_something(hunk.removed, added_pool):
            touched.update(n for n in (hunk.start, hunk.start + 1) if n > 0)
    frozen = {path: frozenset(found) for path, found in lines.items() if found}
    return ChangedLines(MappingProxyType(frozen), frozenset(untracked))


def _removes_something(removed: list[bytes], added_pool: Counter[bytes]) -> bool:
    """Does this deletion remove code rather than move it away?"""
    gone = False
    for key in map(_normal, removed):
        if not key:
            continue
        if added_pool[key] > 0:
            added_pool[key] -= 1
        else:
            gone = True
    return gone


def _normal(text: bytes) -> bytes:
    return b" ".join(text.split())


def _relative_to(changes: ChangedLines, prefix: str) -> ChangedLines:
    """Paths under the review root, made relative to it; the rest of the repository dropped."""
    if not prefix:
        return changes

    def strip(path: str) -> str | None:
        return path[len(prefix) + 1:] if path.startswith(prefix + "/") else None

    lines = {rel: found for path, found in changes.lines.items() if (rel := strip(path))}
    whole = frozenset(rel for path in changes.whole if (rel := strip(path)))
    return ChangedLines(MappingProxyType(lines), whole)


def _root_prefix(root: Path, toplevel: Path) -> str:
    rel = PurePosixPath(root.resolve().relative_to(toplevel).as_posix())
    return "" if str(rel) == "." else str(rel)


def _diff_path(raw: bytes) -> str | None:
    """`b/src/app.py` (or a C-quoted `"b/na\\tme.py"`) -> `src/app.py`; `/dev/null` -> None."""
    raw = raw.rstrip(b"\t")
    if raw == b"/dev/null":
        return None
    if raw.startswith(b'"') and raw.endswith(b'"'):
        raw = codecs.escape_decode(raw[1:-1])[0]
    return _decode(raw[2:] if raw.startswith(b"b/") else raw)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def _git(cwd: Path, *args: str, what: str = "") -> bytes:
    """Run git; a failure is a GitError naming `what` went wrong (or git's own first line)."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError as exc:
        raise GitError("--diff needs git, and no `git` executable was found on PATH") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"--diff: git {args[0]} took more than {_TIMEOUT_S}s") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = said[0] if said and "not a git repository" not in said[0] else ""
        if not what:
            raise GitError(f"--diff: git {args[0]} failed: {detail or f'exit status {done.returncode}'}")
        raise GitError(f"--diff: {what}" + (f" ({detail})" if detail else ""))
    return done.stdout
