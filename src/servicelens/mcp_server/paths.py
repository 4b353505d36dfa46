"""Path policy: a caller (an AI agent acting on a conversation) names paths; only those
under the allowed roots may be read.

The roots are the server's working directory plus any `--root`. Paths are resolved with
symlinks followed before the check, so a link inside a root that points elsewhere is
refused like the elsewhere it points to.
"""
from __future__ import annotations

from pathlib import Path


class PathRefused(ValueError):
    """The path is outside the allowed roots, missing, or not usable; the message says which."""


class PathPolicy:
    def __init__(self, roots: list[Path], cwd: Path | None = None) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        resolved = [self.cwd] + [Path(r).expanduser().resolve() for r in roots]
        self.roots: tuple[Path, ...] = tuple(dict.fromkeys(resolved))

    def describe(self) -> str:
        return ", ".join(str(r) for r in self.roots)

    def resolve(self, path: str) -> Path:
        """An existing file or directory under an allowed root; relative paths are taken
        from the server's working directory."""
        if not path or "\0" in path:
            raise PathRefused("path is empty or holds a NUL character")
        candidate = Path(path).expanduser()
        if not candidate.is_absolute():
            candidate = self.cwd / candidate
        try:
            resolved = candidate.resolve(strict=True)
        except FileNotFoundError:
            raise PathRefused(f"no such file or directory: {path}") from None
        except (OSError, RuntimeError) as exc:
            raise PathRefused(f"cannot resolve {path}: {exc}") from None
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise PathRefused(f"{path} is outside the allowed roots ({self.describe()}); "
                              "start the server with `--root DIR` to allow another directory")
        return resolved

    def member(self, tree: Path, file: str) -> str:
        """`file` (relative to `tree`, or absolute) as a path relative to `tree`; the file
        need not exist yet (a proposed new file), but it must stay inside the tree."""
        if not file or "\0" in file:
            raise PathRefused("file is empty or holds a NUL character")
        if not tree.is_dir():
            raise PathRefused(f"{tree} is a file; `check` takes the directory to review as `path`")
        candidate = Path(file).expanduser()
        if not candidate.is_absolute():
            candidate = tree / candidate
        try:
            resolved = candidate.resolve(strict=False)
        except (OSError, RuntimeError) as exc:
            raise PathRefused(f"cannot resolve {file}: {exc}") from None
        if not resolved.is_relative_to(tree) or resolved == tree:
            raise PathRefused(f"{file} is not a file inside {tree}")
        if resolved.is_dir():
            raise PathRefused(f"{file} is a directory, not a file")
        return resolved.relative_to(tree).as_posix()
