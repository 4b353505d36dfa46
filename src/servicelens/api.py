"""The public Python API; the CLI, HTTP service and MCP server all go through here."""
from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from servicelens.config.loader import load_settings
from servicelens.config.settings import Settings
from servicelens.model.report import Report
from servicelens.runner import OverlayError, Progress, review_tree

__all__ = ["OverlayError", "review", "review_source"]


def review(path: Path | str, settings: Settings | None = None, progress: Progress | None = None,
           overlay: Mapping[str, str] | None = None) -> Report:
    """Review a file or directory. Never imports, executes or writes into the reviewed tree.

    `overlay` ({path relative to `path`: text}) reviews the tree as if those files held
    that text, without writing anything: an editor buffer, or a fix an agent proposes."""
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"no such file or directory: {root}")
    if settings is None:
        settings = load_settings(root)
    return review_tree(root, settings, progress, overlay)


def review_source(files: dict[str, str], settings: Settings | None = None) -> Report:
    """Review code given as {relative path: text}, e.g. generated code or an editor buffer."""
    with tempfile.TemporaryDirectory(prefix="servicelens-") as tmp:
        root = Path(tmp)
        for rel, text in files.items():
            target = (root / rel).resolve()
            if not target.is_relative_to(root.resolve()):
                raise ValueError(f"path escapes the review root: {rel}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return review(root, settings or Settings(use_cache=False))


def explain(concern_id: str) -> str:
    """What `servicelens explain` prints for one concern id: the guidance, examples and how
    precise the concern was measured to be (analysis/profiles.standing)."""
    from servicelens.analysis.profiles import standing
    from servicelens.guidance import load_guidance
    from servicelens.model.concerns import load_taxonomy
    from servicelens.render.explain import render_explain

    return render_explain(load_guidance()[concern_id], load_taxonomy()[concern_id], standing=standing(concern_id))
